"""Atom and RSS feeds of quotations: a speaker's, and those taken from one source."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator

from quotes.models import Source, Speaker
from quotes.rendering import fresh, shown_by

from .feeds import AtomWithContent, SiteFeed, absolute_urls

ITEMS = 30


class QuotationsFeed(SiteFeed):
    """Each entry is one quotation as a post shows it: words, speaker, source, date."""

    def items(self, obj):
        quotations = obj.quotations.public().with_attribution()
        quotations = quotations.order_by("-created_at", "-pk")[:ITEMS]
        quotations = fresh(list(quotations))
        kind = obj._meta.model_name
        self.shown |= {f"{kind}:{obj.pk}", f"{kind}-page:{obj.pk}", *shown_by(quotations)}
        return quotations

    def link(self, obj):
        return obj.get_absolute_url()

    def item_title(self, quotation):
        words = Truncator(quotation.unquoted_text).words(12)
        return f"“{words}” — {quotation.attribution_name}"

    def item_summary(self, quotation):
        return quotation.plain_text

    def full_html(self, quotation):
        return absolute_urls(quotation.block_html, self.base)

    def item_pubdate(self, quotation):
        return quotation.created_at

    def item_updateddate(self, quotation):
        return quotation.modified_at

    def item_categories(self, quotation):
        return [quotation.source.display_name]


class SpeakerFeed(QuotationsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Speaker.objects.public(), slug=slug)

    def title(self, speaker):
        return f"{settings.BLOG_TITLE}: quotations of {speaker.name}"

    def description(self, speaker):
        who = f"{speaker.name}, {speaker.description}" if speaker.description else speaker.name
        return f"Quotations of {who}, each with its source."


class SpeakerAtomFeed(SpeakerFeed):
    feed_type = AtomWithContent

    def subtitle(self, speaker):
        return self.description(speaker)


class SourceFeed(QuotationsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Source.objects.public(), slug=slug)

    def title(self, source):
        return f"{settings.BLOG_TITLE}: quotations from “{source.title}”"

    def description(self, source):
        return f"Quotations taken from {source}."


class SourceAtomFeed(SourceFeed):
    feed_type = AtomWithContent

    def subtitle(self, source):
        return self.description(source)
