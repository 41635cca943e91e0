"""A quotation's stored HTML: its words, and its block and inline embeddings.

Derived from the quotation's row, its speaker and source, and (for an excerpt) the
quotations within it, by the one markup pipeline. Written here only, under the row's lock,
from the rows as they are; freshness/ decides when (see freshness/rules.py).
"""

from collections import defaultdict

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

import freshness
from freshness.rows import write_rows

from . import markup, search_documents
from .models import RENDER_VERSION, Quotation

DERIVED = ["text_html", "block_html", "inline_html"]


def rendered(quotation, inner=None):
    """Derive the fields of `quotation` (speaker and source loaded) on it, and return them.
    `inner`: the quotations within it, with their attribution, if already loaded."""
    text_html = quotation.text_html = markup.render_markdown(quotation.text, embed_quotations=False)
    if inner is None:
        inner = list(quotation.inner_quotations.to_render().order_by("pk"))
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
    return render_quotations([pk]).get(pk)


def render_quotations(ids):
    """Render the quotations `ids` again, together, and store what changed; returns
    {id: quotation as stored} for those that still exist.

    A batch costs a handful of queries however many it holds (the worker renders 50 at a
    time): the rows are locked and loaded at once, with their check for the templates and
    the quotations within them, and written back in bulk."""
    with transaction.atomic():
        quotations = list(
            Quotation.objects.to_render()
            .select_related("verification")
            .select_for_update(of=("self",))
            .filter(pk__in=ids)
            .order_by("pk")
        )
        inner = defaultdict(list)
        within = Quotation.objects.to_render().filter(within__in=[q.pk for q in quotations])
        for part in within.order_by("pk"):
            inner[part.within_id].append(part)
        changed_rows, documents = [], []
        for quotation in quotations:
            before = {name: getattr(quotation, name) for name in DERIVED}
            fields = rendered(quotation, inner[quotation.pk])
            changed = {name for name, value in fields.items() if before[name] != value}
            for name, value in fields.items():
                setattr(quotation, name, value)
            if changed or quotation.rendered_with != RENDER_VERSION:
                changed_rows.append(quotation)
            quotation.rendered_with = RENDER_VERSION
            if changed:
                freshness.purge(f"quotation:{quotation.pk}")
            documents.append((quotation.pk, search_documents.quotation_texts(quotation)))
        write_rows(Quotation, changed_rows, [*DERIVED, "rendered_with"])
        search_documents.write_many("quotation", documents)
    return {quotation.pk: quotation for quotation in quotations}


# What a list of quotations loads: their stored blocks, and what shown_by() and fresh() read.
LISTED = ["speaker", "source", "within", "rendered_with", "block_html"]


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
