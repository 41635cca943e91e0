"""A quotation's stored HTML: its words, and its block and inline embeddings.

Derived from the quotation's row, its speaker and source, and (for an excerpt) the
quotations within it, by the one markup pipeline. Written here only, under the row's lock,
from the rows as they are; freshness/ decides when (see freshness/rules.py).
"""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

import freshness

from . import markup, search_documents
from .models import RENDER_VERSION, Quotation

DERIVED = ["text_html", "block_html", "inline_html"]


def rendered(quotation):
    """Derive the fields of `quotation` (speaker and source loaded) on it, and return them."""
    text_html = quotation.text_html = markup.render_markdown(quotation.text, embed_quotations=False)
    inner = list(quotation.inner_quotations.with_attribution().order_by("pk"))
    for part in inner:
        if part.is_stale:
            part.text_html = markup.render_markdown(part.text, embed_quotations=False)
    safe_text = mark_safe(text_html)  # noqa: S308 - output of the sanitizing pipeline
    context = {"quotation": quotation, "text_html": safe_text, "inner": inner}
    return {
        "text_html": text_html,
        "block_html": render_to_string("quotes/quotation_block.html", context).strip(),
        "inline_html": render_to_string("quotes/quotation_inline.html", context).strip(),
    }


def render_quotation(pk):
    """Render quotation `pk` again and store what changed; None if it no longer exists."""
    with transaction.atomic():
        quotation = (
            Quotation.objects.with_attribution().select_for_update(of=("self",)).filter(pk=pk)
        ).first()
        if quotation is None:
            return None
        before = {name: getattr(quotation, name) for name in DERIVED}
        fields = rendered(quotation)
        changed = {name: value for name, value in fields.items() if before[name] != value}
        if changed or quotation.rendered_with != RENDER_VERSION:
            Quotation.objects.filter(pk=pk).update(**changed, rendered_with=RENDER_VERSION)
        for name, value in fields.items():
            setattr(quotation, name, value)
        quotation.rendered_with = RENDER_VERSION
        if changed:
            freshness.purge(f"quotation:{pk}")
        search_documents.write("quotation", pk, search_documents.quotation_texts(quotation))
    return quotation


def shown_by(quotations):
    """Page-cache keys of a page showing these quotations with their attribution."""
    keys = set()
    for quotation in quotations:
        keys |= {f"quotation:{quotation.pk}", f"source:{quotation.source_id}"}
        if quotation.speaker_id:
            keys.add(f"speaker:{quotation.speaker_id}")
        if quotation.within_id:
            keys.add(f"quotation:{quotation.within_id}")
    return keys


def fresh(quotations):
    """`quotations` with the stale ones rendered (on read: a page shows none stale)."""
    for quotation in quotations:
        if quotation.is_stale:
            current = render_quotation(quotation.pk)
            if current is not None:
                for name in [*DERIVED, "rendered_with"]:
                    setattr(quotation, name, getattr(current, name))
    return quotations


# The first release's quotation documents (blog migration 0005 runs it); see
# quotes/search_documents.py for today's.
QUOTATION_DOCUMENT_SQL = """
UPDATE quotes_quotation AS q SET search_document =
    setweight(to_tsvector(%(config)s::regconfig, q.text), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, concat_ws(' ',
        (SELECT s.name FROM quotes_speaker AS s WHERE s.id = q.speaker_id),
        q.anonymous_description, q.context)), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, concat_ws(' ', src.title, src.publisher)), 'C')
FROM quotes_source AS src
WHERE src.id = q.source_id
"""
