import math

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.urls import reverse

from quotes.models import Quotation, Source, Speaker

from .models import Post, Tag


class KeyRangePaginator:
    """Pages of `items` by primary-key range: page n holds the items whose id is in
    ((n-1)·limit, n·limit]. The page count is the table's largest id over `limit` (one index
    lookup, where Django's Paginator counts the filtered rows on every request: the whole
    table, at 100,000 posts), and a page is an index range scan, never a deep OFFSET. A page
    can hold fewer than `limit` items (drafts, deleted rows), never more: nothing is dropped."""

    def __init__(self, items, limit):
        self.items, self.limit = items, limit

    @property
    def num_pages(self):
        largest = self.items.model._base_manager.aggregate(largest=Max("pk"))["largest"] or 0
        return max(1, math.ceil(largest / self.limit))

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results")
        low = (number - 1) * self.limit
        return _Page(self.items.filter(pk__gt=low, pk__lte=low + self.limit).order_by("pk"))


class _Page:
    def __init__(self, object_list):
        self.object_list = object_list


class SectionSitemap(Sitemap):
    """A section of the sitemap index: /sitemap-<section>.xml, paged with ?p= past `limit`."""

    # The protocol allows 50,000 a file; Django builds and renders one in ~50 µs a URL,
    # so a file of 1,000 stays a request of ~50 ms (100 files at 100,000 posts).
    limit = 1000

    @property
    def paginator(self):
        items = self._items()
        if isinstance(items, list):  # a fixed list (the site's own pages)
            return super().paginator
        return KeyRangePaginator(items, self.limit)

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
        return Tag.objects.filter(posts__in=Post.objects.published()).annotate(
            latest=Max("posts__published_at")
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
        return Speaker.objects.public().only("slug")


class SourceSitemap(SectionSitemap):
    def items(self):
        return Source.objects.public().only("slug")


class QuotationSitemap(SectionSitemap):
    def items(self):
        return Quotation.objects.public().only("pk", "modified_at")

    def lastmod(self, quotation):
        return quotation.modified_at
