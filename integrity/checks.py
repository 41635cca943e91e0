"""Fetching a source and recording what its address answers now: the link-rot watch.

Each check fetches the source's URL (integrity/fetch.py) and records a Check with a state:
gone (404/410), moved (redirected elsewhere), changed (a quotation found in the reference
snapshot is no longer in the live page), unreachable (timeout, error, refused) or ok. A
page whose bytes differ from the reference snapshot is kept as a new snapshot: the new
reference when it still holds every quotation found before, else as evidence only. The
next check waits longer each time the answer stays the same (backoff), and a timeout or
an error is retried sooner.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

import freshness

from . import snapshots, verify
from .fetch import fetch
from .matching import locate
from .models import Check, Snapshot, SourceWatch, Verification

State = SourceWatch.State
RETRIED_SOON = {State.UNREACHABLE}


def check_source(source, allow_loopback=False):
    """Fetch `source` now, record the check, keep a snapshot, verify; returns the Check."""
    # Its address as it is now: a round loads its sources before fetching them one by one.
    source.refresh_from_db(fields=["url"])
    fetched = fetch(source.url, allow_loopback=allow_loopback)
    now = timezone.now()
    candidate, state = None, State.UNREACHABLE
    if fetched.status in {404, 410}:
        state = State.GONE
    elif fetched.outcome in {"ok", "truncated", "not_html"}:
        # Extraction and matching before the transaction: it holds no lock while they run.
        candidate, state = compare(source, fetched)
        if state == State.OK and moved(source.url, fetched.final_url):
            state = State.MOVED
    with transaction.atomic():
        if candidate is not None:
            candidate.save()
            if candidate.reference:
                verify.verify_source(source.pk, candidate)
        check = Check.objects.create(
            source=source,
            checked_at=now,
            outcome=fetched.outcome,
            state=state,
            http_status=fetched.status,
            final_url=fetched.final_url[:2000],
            detail=fetched.detail[:500],
            snapshot=candidate,
        )
        watch(source, state, now, fetched.outcome)
    return check


def compare(source, fetched):
    """(a new snapshot to keep, or None; the state), against the latest copy kept. The same
    bytes or the same words as that copy keep nothing, so a page that changed (or that
    differs on every load only in its markup) is not stored again at each check."""
    latest = (
        Snapshot.objects.filter(source_id=source.pk).defer("raw").order_by("-taken_at", "-pk")
    ).first()
    unchanged = State.OK if latest is None or latest.reference else State.CHANGED
    if latest is not None and latest.sha256 == Snapshot.digest(fetched.body):
        return None, unchanged  # no extraction
    candidate = snapshots.from_fetch(source, fetched)
    if latest is not None and candidate.text and candidate.text == latest.text:
        return None, unchanged
    reference = Snapshot.objects.defer("raw", "text").latest_for(source.pk)
    lost = reference is not None and lost_quotations(reference, candidate.text)
    candidate.reference = not lost
    return candidate, State.CHANGED if lost else State.OK


def lost_quotations(reference, text):
    """Whether a quotation found in `reference` is not found in `text`."""
    found = Verification.objects.filter(snapshot=reference, status__in=Verification.FOUND)
    for exact in found.values_list("exact", flat=True).iterator(chunk_size=200):
        if locate(exact, text).status not in Verification.FOUND:
            return True
    return False


def moved(url, final_url):
    """Redirected to another page (not just to https, a trailing slash or the same page)."""
    if not final_url:
        return False
    before, after = urlsplit(url), urlsplit(final_url)
    same_host = (before.hostname or "").removeprefix("www.") == (after.hostname or "").removeprefix(
        "www."
    )
    same_page = before.path.rstrip("/") == after.path.rstrip("/") and before.query == after.query
    return not (same_host and same_page)


def watch(source, state, now, outcome):
    current, _ = SourceWatch.objects.select_for_update().get_or_create(source=source)
    if current.state == state:
        current.streak += 1
    else:
        current.state, current.state_since, current.streak = state, now, 0
        # Quotation pages tell readers when a source is gone (they carry its key).
        freshness.purge(f"source:{source.pk}")
    current.last_checked_at = now
    current.next_check_at = now + next_wait(state, current.streak, outcome)
    current.save()


def next_wait(state, streak, outcome):
    if outcome == "refused":
        return datetime.timedelta(seconds=settings.SOURCE_CHECK_MAX_INTERVAL)
    base = settings.SOURCE_CHECK_RETRY if state in RETRIED_SOON else settings.SOURCE_CHECK_INTERVAL
    seconds = min(base * 2 ** min(streak, 10), settings.SOURCE_CHECK_MAX_INTERVAL)
    return datetime.timedelta(seconds=seconds)


def due_sources(now=None, limit=100):
    """Sources with an address whose next check is due (never checked ones first)."""
    from quotes.models import Source

    now = now or timezone.now()
    never = Source.objects.exclude(url="").filter(watch__isnull=True).order_by("pk")
    due = Source.objects.exclude(url="").filter(watch__next_check_at__lte=now)
    due = due.order_by("watch__next_check_at", "pk")
    picked = list(never[:limit])
    return picked + list(due[: limit - len(picked)])
