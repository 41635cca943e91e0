"""What a quotation's check gives readers' pages: our archived copy's address, and the
source's address opening on the words when they were found."""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from .fragments import text_fragment_url


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


def archived_url(verification):
    return reverse("integrity:archived", args=[verification.snapshot_id])


def at_the_words(quotation, verification):
    """The source's URL with a text fragment on the words, when they were found."""
    if not (verification.found and quotation.source.url and verification.exact):
        return None
    return text_fragment_url(
        quotation.source.url, verification.exact, verification.prefix, verification.suffix
    )


def structured_data_hooks(quotation, base):
    """`archived_at` and `verification` for blog/structured_data.quotation_page."""
    verification = verification_of(quotation)
    if verification is None:
        return {}
    hooks = {"archived_at": base + archived_url(verification)}
    url = at_the_words(quotation, verification)
    if url:
        hooks["verification"] = {"url": url, "checked_at": verification.checked_at}
    return hooks
