"""Atom and RSS feeds of quotations: a speaker's, and those taken from one source."""

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator

from ops.prepared import Prepared
from quotes.models import QUOTE_MARKS, Quotation, Source, Speaker
from quotes.rendering import fresh, shown_by

from . import feed_xml
from .feeds import SiteFeed, absolute_urls
from .quotation_pages import BY_SLUG, is_shown

ITEMS = 30
# What an entry shows, the only columns loaded (with what rendering on read needs).
IN_FEEDS = ["text_html", "block_html", "rendered_with", "created_at", "modified_at",
            "speaker_id", "anonymous_description", "source_id", "within_id",
            "speaker__name", "source__title", "source__publisher"]  # fmt: skip


def latest_quotations(kind):
    """The newest public quotations of a speaker or source (`kind`), compiled once a process
    (ops/prepared.py): its id and the moment are the values."""

    def build(pk, now):
        quotations = Quotation.objects.filter(**{f"{kind}_id": pk}).public(now)
        quotations = quotations.with_attribution().only(*IN_FEEDS)
        return quotations.order_by("-created_at", "-pk")[:ITEMS]

    return Prepared(build)


LATEST_QUOTATIONS = {kind: latest_quotations(kind) for kind in ("speaker", "source")}


class QuotationsFeed(SiteFeed):
    """Each entry is one quotation as a post shows it: words, speaker, source, date."""

    model = None  # Speaker or Source

    def get_object(self, request, slug):
        # Whether it is public is told by items(): see there.
        kind = self.model._meta.model_name
        return BY_SLUG[kind].first_or_404(slug, missing=f"No {kind} at this address.")

    def items(self, obj):
        kind = obj._meta.model_name
        quotations = fresh(LATEST_QUOTATIONS[kind](obj.pk, timezone.now()))
        # Public when marked so or when one of its quotations is: told by this list, as
        # the speaker's and source's pages are (is_shown). Asking .public() for the row
        # cost PostgreSQL ~1.5 ms a request planning its nested EXISTS
        # (tests/test_feed_xml.py checks that both answers agree).
        if not is_shown(obj, quotations):
            raise Http404(f"No public {obj._meta.verbose_name} at this address.")
        self.shown |= {f"{kind}:{obj.pk}", f"{kind}-page:{obj.pk}", *shown_by(quotations)}
        return quotations

    def link(self, obj):
        return obj.get_absolute_url()

    def entries(self, quotations):
        for quotation in quotations:
            text = quotation.plain_text  # parsed from its HTML once, for title and summary
            words = Truncator(text.strip(QUOTE_MARKS)).words(12)  # as unquoted_text
            html = absolute_urls(quotation.block_html, self.base)
            yield feed_xml.Entry(
                title=f"“{words}” — {quotation.attribution_name}",
                link=self.url(quotation.get_absolute_url()),
                description=escape(text) if self.atom else html,
                content=html if self.atom else None,
                published=quotation.created_at,
                updated=quotation.modified_at,
                categories=[quotation.source.display_name],
            )


class SpeakerFeed(QuotationsFeed):
    model = Speaker

    def title(self, speaker):
        return f"{settings.BLOG_TITLE}: quotations of {speaker.name}"

    def description(self, speaker):
        who = f"{speaker.name}, {speaker.description}" if speaker.description else speaker.name
        return f"Quotations of {who}, each with its source."


class SpeakerAtomFeed(SpeakerFeed):
    atom = True


class SourceFeed(QuotationsFeed):
    model = Source

    def title(self, source):
        return f"{settings.BLOG_TITLE}: quotations from “{source.title}”"

    def description(self, source):
        return f"Quotations taken from {source}."


class SourceAtomFeed(SourceFeed):
    atom = True
