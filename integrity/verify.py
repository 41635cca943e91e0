"""Verifying quotations against their source's latest reference snapshot, in batches.

The words compared are the quotation's text as readers see it (its rendered HTML without
tags). A result readers see (found or not, and the date of the copy) changing makes the
quotation's stored block and the posts showing it render again, through freshness/.
"""

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

import freshness
from freshness.rules import posts_citing
from quotes.models import Quotation

from .matching import locate
from .models import Snapshot, Verification

BATCH = 500
# More changed quotations than this are marked stale for the worker, not rendered now.
RENDERED_AT_ONCE = 20


def verify_source(source_id, snapshot=None, render_now=False):
    """Verify every quotation of a source; returns {status: count}."""
    snapshot = snapshot or Snapshot.objects.latest_for(source_id)
    if snapshot is None:
        return {}
    ids = Quotation.objects.filter(source_id=source_id).order_by("pk").values_list("pk", flat=True)
    return verify_ids(list(ids), snapshot, render_now)


def verify_quotations(ids, render_now=False):
    """Verify these quotations, each against its own source's latest snapshot."""
    counts = {}
    by_source = {}
    for pk, source_id in Quotation.objects.filter(pk__in=ids).values_list("pk", "source_id"):
        by_source.setdefault(source_id, []).append(pk)
    for source_id, pks in by_source.items():
        snapshot = Snapshot.objects.latest_for(source_id)
        if snapshot is None:
            # No copy to check against (any more): no verdict to show.
            forget(pks)
            continue
        for status, n in verify_ids(pks, snapshot, render_now).items():
            counts[status] = counts.get(status, 0) + n
    return counts


def verify_ids(ids, snapshot, render_now=False):
    counts = {}
    for first in range(0, len(ids), BATCH):
        with transaction.atomic():
            batch = verify_batch(ids[first : first + BATCH], snapshot, render_now)
        for status, n in batch.items():
            counts[status] = counts.get(status, 0) + n
    return counts


def verify_batch(ids, snapshot, render_now=False):
    now = timezone.now()
    quotations = Quotation.objects.filter(pk__in=ids).only("pk", "text", "text_html")
    existing = {v.quotation_id: v for v in Verification.objects.filter(quotation_id__in=ids)}
    new, updated, shown_changed, counts = [], [], [], {}
    for quotation in quotations:
        match = locate(quotation.plain_text or quotation.text, snapshot.text)
        counts[match.status] = counts.get(match.status, 0) + 1
        before = existing.get(quotation.pk)
        verification = before or Verification(quotation_id=quotation.pk)
        was_shown = before is not None and shown_state(before)
        fill(verification, match, snapshot, now)
        (updated if before else new).append(verification)
        if shown_state(verification) != was_shown:
            shown_changed.append(quotation.pk)
    Verification.objects.bulk_create(new)
    Verification.objects.bulk_update(updated, FIELDS)
    refresh_pages(shown_changed, render_now)
    return counts


FIELDS = [
    "snapshot", "snapshot_taken_at", "status", "score", "exact", "prefix", "suffix", "start",
    "end", "differences", "checked_at",
]  # fmt: skip


def fill(verification, match, snapshot, now):
    verification.snapshot = snapshot
    verification.snapshot_taken_at = snapshot.taken_at
    verification.status = match.status
    verification.score = match.score
    verification.exact = match.exact
    verification.prefix = match.prefix[:200]
    verification.suffix = match.suffix[:200]
    verification.start, verification.end = match.start, match.end
    verification.differences = [list(pair) for pair in match.differences]
    verification.checked_at = now


def shown_state(verification):
    """What readers see of a verification: the date of the copy the words were found in."""
    return verification.found and (verification.snapshot_id, verification.snapshot_taken_at)


def forget(ids):
    deleted, _ = Verification.objects.filter(quotation_id__in=ids).delete()
    if deleted:
        refresh_pages(ids)


def refresh_pages(ids, render_now=False):
    """The quotations' blocks show the check: render them again, and the posts showing them."""
    if not ids:
        return
    Post = apps.get_model("blog", "Post")
    with freshness.batch() as batch:
        if render_now and len(ids) <= RENDERED_AT_ONCE:
            for pk in ids:
                batch.quotation(pk)
        else:
            batch.mark_stale(Quotation, Quotation.objects.filter(pk__in=ids).values("pk"))
        batch.mark_stale(Post, posts_citing(Q(pk__in=ids)))
        batch.purge(*(f"quotation:{pk}" for pk in ids))
