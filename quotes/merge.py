"""Merging two speakers or two sources that are one: the kept record takes the other's
quotations, the other's addresses answer 301 to the kept one's, and every page showing
either is rendered again by the background job (freshness/): one UPDATE moves the
quotations, one UPDATE per kind marks what shows them stale. Nothing renders per row here.
"""

from django.db import transaction
from django.urls import reverse
from simple_history.utils import bulk_update_with_history

import freshness
import redirects

from .models import Quotation, Source, Speaker

# The addresses of a speaker's or source's pages: its page and its feeds.
ADDRESSES = {
    Speaker: ["quotes:speaker", "quotes:speaker_feed_atom", "quotes:speaker_feed_rss"],
    Source: ["quotes:source", "quotes:source_feed_atom", "quotes:source_feed_rss"],
}


def merge(kept, other, user=None):
    """Move `other`'s quotations to `kept`, redirect its addresses, delete it.

    Returns the ids of the quotations moved (the record an undo needs, with `other`'s
    fields, which the caller logs)."""
    model = type(kept)
    if type(other) is not model or kept.pk == other.pk:
        raise ValueError("merge two different records of the same kind")
    kind = model._meta.model_name  # "speaker" or "source"
    with transaction.atomic(), freshness.batch() as batch:
        moving = list(Quotation.objects.filter(**{f"{kind}_id": other.pk}).order_by("pk"))
        moved = [quotation.pk for quotation in moving]
        for quotation in moving:
            setattr(quotation, f"{kind}_id", kept.pk)
        # In batched UPDATEs, with a revision of every quotation moved (who, why): each
        # quotation's history says which record it came from, what an undo needs.
        bulk_update_with_history(
            moving, Quotation, [kind], batch_size=500, default_user=user,
            default_change_reason=f"{kind} {other.pk} ({other}) merged into {kept.pk}"[:100],
        )  # fmt: skip
        # The kept record "changed": every quotation now attributed to it, every excerpt
        # holding one and every post citing those is marked stale and the job enqueued.
        freshness.changed(kept, fields=set(model.tracked_attnames()))
        # Pages that showed the other one (its key is in their stored cache keys).
        batch.purge(f"{kind}:{other.pk}", f"{kind}-page:{other.pk}")
        for name in ADDRESSES[model]:
            old = reverse(name, args=[other.slug])
            new = reverse(name, args=[kept.slug])
            redirects.record(old, new, f"{kind} {other.pk} merged into {kept.pk}")
        other.delete()
    return moved
