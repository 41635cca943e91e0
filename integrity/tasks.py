"""Background jobs: fetch and check a source, the periodic link-rot round, verification.

They run on the same task queue as freshness/tasks.py (django-tasks, db_worker). A fetch
that timed out or failed is tried again later (run_after), a few times; the periodic round
checks a bounded number of due sources and enqueues its continuation.
"""

import datetime

from django.utils import timezone
from django_tasks import task

from quotes.models import Source

from . import checks, verify

MAX_ATTEMPTS = 4
ROUND_SIZE = 50
ROUNDS_AT_MOST = 40  # a round's continuation chain stops here; the next periodic call resumes


@task()
def fetch_source(source_id, attempt=1, allow_loopback=False):
    source = Source.objects.filter(pk=source_id).exclude(url="").first()
    if source is None:
        return {"outcome": "no such source"}
    check = checks.check_source(source, allow_loopback=allow_loopback)
    if check.outcome in {"timeout", "failed"} and attempt < MAX_ATTEMPTS:
        later = timezone.now() + retry_delay(attempt)
        fetch_source.using(run_after=later).enqueue(
            source_id, attempt=attempt + 1, allow_loopback=allow_loopback
        )
    return {"outcome": check.outcome, "state": check.state}


def retry_delay(attempt):
    return datetime.timedelta(minutes=5 * 3 ** (attempt - 1))


@task()
def check_due_sources(round_number=1):
    """Check up to ROUND_SIZE due sources; continue if more are due."""
    due = checks.due_sources(limit=ROUND_SIZE)
    for source in due:
        checks.check_source(source)
    if len(due) == ROUND_SIZE and round_number < ROUNDS_AT_MOST:
        check_due_sources.enqueue(round_number=round_number + 1)
    return {"checked": len(due)}


@task()
def verify_quotations(ids):
    return verify.verify_quotations(ids)


@task()
def verify_source(source_id):
    return verify.verify_source(source_id)
