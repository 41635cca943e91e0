"""What readers see of a source check: a line in the quotation's caption, and links on its
page (the source opened at the words, our archived copy, the editor's archived URL)."""

from django import template

from ..links import archived_url, at_the_words, verification_of, watch_of

register = template.Library()


@register.inclusion_tag("integrity/checked_note.html")
def checked_note(quotation):
    """ "Checked against the source on DATE" when its words were found; nothing otherwise."""
    verification = verification_of(quotation)
    if verification is None or not verification.found:
        return {"verification": None}
    return {"verification": verification, "archived": archived_url(verification)}


@register.inclusion_tag("integrity/source_links.html")
def source_links(quotation):
    source = quotation.source
    verification = verification_of(quotation)
    watch = watch_of(source)
    found = verification is not None and verification.found
    return {
        "source": source,
        "verification": verification if found else None,
        "gone": watch is not None and watch.is_gone,
        "watch": watch,
        "archived": archived_url(verification) if verification else None,
        "at_the_words": at_the_words(quotation, verification) if verification else None,
    }
