from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from quotes.models import Quotation, Source, Speaker

from .models import Post, Tag


class SectionSitemap(Sitemap):
    """A section of the sitemap index: /sitemap-<section>.xml, paged with ?p= past `limit`."""

    # The protocol allows 50,000 a file; Django builds and renders one in ~50 µs a URL,
    # so a file of 1,000 stays a request of ~50 ms (100 files at 100,000 posts).
    limit = 1000

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item of the section to put one date in
        # the index: the whole table loaded per request. The index goes without it.
        return None


class PostSitemap(SectionSitemap):
    def items(self):
        return Post.objects.published().only("slug", "published_at", "last_updated_at")

    def lastmod(self, post):
        # An update or correction is a change readers (and search engines) should see.
        return post.last_updated_at or post.published_at


class TagSitemap(SectionSitemap):
    def items(self):
        # Filter then annotate: the latest of the tag's *published* posts.
        return (
            Tag.objects.filter(posts__in=Post.objects.published())
            .annotate(latest=Max("posts__published_at"))
            .order_by("name")
        )

    def lastmod(self, tag):
        return tag.latest


class PagesSitemap(SectionSitemap):
    def items(self):
        return ["blog:index", "blog:archive", "blog:tags", "quotes:speakers", "quotes:sources"]

    def location(self, name):
        return reverse(name)


class SpeakerSitemap(SectionSitemap):
    def items(self):
        return Speaker.objects.public().only("slug").order_by("name")


class SourceSitemap(SectionSitemap):
    def items(self):
        return Source.objects.public().only("slug").order_by("pk")


class QuotationSitemap(SectionSitemap):
    def items(self):
        return Quotation.objects.public().only("pk", "modified_at").order_by("pk")

    def lastmod(self, quotation):
        return quotation.modified_at
