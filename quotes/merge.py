"""Merging two speakers or two sources that are one: the kept record takes the other's
quotations, the other's addresses answer 301 to the kept one's, and every page showing
either is rendered again by the background job (freshness/): one UPDATE moves the
quotations, one UPDATE per kind marks what shows them stale. Nothing renders per row here.
"""

from django.db import transaction
from django.urls import reverse

import freshness
import redirects

from .models import Quotation, Source, Speaker

# The addresses of a speaker's or source's pages: its page and its feeds.
ADDRESSES = {
    Speaker: ["quotes:speaker", "quotes:speaker_feed_atom", "quotes:speaker_feed_rss"],
    Source: ["quotes:source", "quotes:source_feed_atom", "quotes:source_feed_rss"],
}


def merge(kept, other):
    """Move `other`'s quotations to `kept`, redirect its addresses, delete it.

    Returns the ids of the quotations moved (the record an undo needs, with `other`'s
    fields, which the caller logs)."""
    model = type(kept)
    if type(other) is not model or kept.pk == other.pk:
        raise ValueError("merge two different records of the same kind")
    kind = model._meta.model_name  # "speaker" or "source"
    with transaction.atomic(), freshness.batch() as batch:
        moving = Quotation.objects.filter(**{f"{kind}_id": other.pk})
        moved = list(moving.order_by("pk").values_list("pk", flat=True))
        moving.update(**{f"{kind}_id": kept.pk})
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
