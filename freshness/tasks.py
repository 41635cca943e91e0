"""The background job that renders stale pages: batched, idempotent, retried.

`render_stale` renders every stale quotation, then every stale post (rendered_with older
than the RENDER_VERSION in code, 0 once marked stale), a batch at a time. Several workers
can run it at once: each batch locks its rows with SKIP LOCKED on PostgreSQL (on SQLite,
writes are serialized anyway), and rendering what is already fresh changes nothing. A run
stops after RUN_SECONDS and enqueues its continuation, so one long fan-out never holds a
worker; a failed row is retried by a new run after a backoff, and the run is recorded as
failed (the admin lists failed jobs).
"""

import datetime
import logging
import time

from django.db import transaction
from django.utils import timezone
from django_tasks import task

import freshness

logger = logging.getLogger(__name__)

BATCH = 50
RUN_SECONDS = 20
MAX_ATTEMPTS = 5


class RenderingFailed(Exception):
    pass


def stale_kinds():
    from blog import rendering as post_rendering
    from blog.models import RENDER_VERSION as POST_VERSION
    from blog.models import Post
    from quotes import rendering as quotation_rendering
    from quotes.models import RENDER_VERSION as QUOTATION_VERSION
    from quotes.models import Quotation

    # Quotations first: posts embed their stored blocks.
    return [
        (Quotation, QUOTATION_VERSION, quotation_rendering.render_quotations),
        (Post, POST_VERSION, post_rendering.render_posts),
    ]


def render_stale_now(deadline=None, on_progress=None):
    """Render stale rows until none is left (or `deadline`, a monotonic time, passes).

    Returns (rendered, failed ids, finished)."""
    rendered, failed = 0, set()
    for model, version, render in stale_kinds():  # render(ids): a batch of rows
        while True:
            with transaction.atomic(), freshness.batch():
                ids = list(
                    model.objects.filter(rendered_with__lt=version)
                    .exclude(pk__in=[pk for kind, pk in failed if kind is model])
                    .select_for_update(skip_locked=True)
                    .order_by("pk")
                    .values_list("pk", flat=True)[:BATCH]
                )
                try:
                    with transaction.atomic():
                        render(ids)  # the batch together: a handful of queries
                    rendered += len(ids)
                except Exception:
                    # One row spoils the batch: render them one by one to find which.
                    for pk in ids:
                        try:
                            with transaction.atomic():
                                render([pk])
                            rendered += 1
                        except Exception:
                            logger.exception("rendering %s %s failed", model._meta.label, pk)
                            failed.add((model, pk))
            if on_progress and ids:
                on_progress(rendered)
            if not ids:
                break
            if deadline is not None and time.monotonic() > deadline:
                return rendered, failed, False
    return rendered, failed, True


@task()
def render_stale(attempt=1):
    rendered, failed, finished = render_stale_now(deadline=time.monotonic() + RUN_SECONDS)
    if not finished:
        enqueue_rendering(force=True)
    if failed:
        if attempt < MAX_ATTEMPTS:
            later = timezone.now() + datetime.timedelta(seconds=10 * 3**attempt)
            render_stale.using(run_after=later).enqueue(attempt=attempt + 1)
        names = ", ".join(f"{model._meta.model_name} {pk}" for model, pk in sorted(failed, key=str))
        raise RenderingFailed(f"could not render {names} (attempt {attempt})")
    return {"rendered": rendered}


def enqueue_rendering(force=False):
    """Enqueue `render_stale` unless a run is already waiting (it will see the new rows)."""
    if not force and waiting_runs() > 0:
        return
    render_stale.enqueue()


def waiting_runs():
    """Runs of render_stale waiting for a worker (0 if the backend cannot say)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: enqueue every time, runs are idempotent
        return 0
    return DBTaskResult.objects.ready().filter(task_path=render_stale.module_path).count()
