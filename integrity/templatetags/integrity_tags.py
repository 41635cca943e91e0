"""What readers see of a source check: a line in the quotation's caption, and links on its
page (the source opened at the words, our archived copy, the editor's archived URL)."""

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from ..fragments import text_fragment_url

register = template.Library()


def verification_of(quotation):
    try:
        return quotation.verification
    except ObjectDoesNotExist:  # never checked
        return None


def watch_of(source):
    try:
        return source.watch
    except ObjectDoesNotExist:  # never fetched
        return None


@register.inclusion_tag("integrity/checked_note.html")
def checked_note(quotation):
    """ "Checked against the source on DATE" when its words were found; nothing otherwise."""
    verification = verification_of(quotation)
    if verification is None or not verification.found:
        return {"verification": None}
    return {
        "verification": verification,
        "archived": reverse("integrity:archived", args=[verification.snapshot_id]),
    }


@register.inclusion_tag("integrity/source_links.html")
def source_links(quotation):
    source = quotation.source
    verification = verification_of(quotation)
    found = verification is not None and verification.found
    watch = watch_of(source)
    context = {
        "source": source,
        "verification": verification if found else None,
        "gone": watch is not None and watch.is_gone,
        "watch": watch,
        "archived": None,
        "at_the_words": None,
    }
    if verification is not None:
        context["archived"] = reverse("integrity:archived", args=[verification.snapshot_id])
    if found and source.url and verification.exact:
        context["at_the_words"] = text_fragment_url(
            source.url, verification.exact, verification.prefix, verification.suffix
        )
    return context
