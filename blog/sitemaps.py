import datetime
import math
from html import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.db.models import Max
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from quotes.models import Quotation, Source, Speaker

from .models import Post, Tag
from .models.post import post_path_args


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
        return pages_for(largest_ids([self.items.model])[0], self.limit)

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results")
        low = (number - 1) * self.limit
        return _Page(self.items.filter(pk__gt=low, pk__lte=low + self.limit).order_by("pk"))


def pages_for(largest_id, limit):
    """How many key-range pages of `limit` a table whose largest id is `largest_id` needs."""
    return max(1, math.ceil((largest_id or 0) / limit))


def largest_ids(models):
    """The largest primary key of each of `models`' tables (None for an empty one), in one
    query of index lookups: the sitemap index needs every section's at once."""
    quote = connection.ops.quote_name
    largest = [
        # Names from the models, quoted: nothing from the request.
        f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})"  # noqa: S608
        for model in models
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(largest)}")
        return list(cursor.fetchone())


class _Page:
    def __init__(self, object_list):
        self.object_list = object_list


class PathTemplate:
    """A URL pattern reversed once, with sentinel arguments found again in its path; each
    item's path is then one str.format (reverse() per URL was most of a section's cost)."""

    def __init__(self, name, *sentinels):
        path = reverse(name, args=sentinels).replace("{", "{{").replace("}", "}}")
        for place, value in enumerate(sentinels):
            path = path.replace(str(value), f"{{{place}}}")
        self.format = path.format

    def __call__(self, *values):
        return self.format(*values)


class SectionSitemap(Sitemap):
    """A section of the sitemap index: /sitemap-<section>.xml, paged with ?p= past `limit`.
    `model` is the table a section lists (paged by its ids), None for a fixed list."""

    model = None

    # The protocol allows 50,000 a file; a file of 1,000 is a few milliseconds written by
    # section() below (Django's template took ~150 ms), 100 files at 100,000 posts.
    limit = 1000

    @property
    def paginator(self):
        if self.model is None:  # a fixed list (the site's own pages)
            return super().paginator
        return KeyRangePaginator(self._items(), self.limit)

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item of the section to put one date in
        # the index: the whole table loaded per request. The index goes without it.
        return None

    def entries(self, items):
        """(path, lastmod or None) of each item on a page; sections override it with a
        query of the columns they need."""
        for item in items:
            path = self.location(item) if hasattr(self, "location") else item.get_absolute_url()
            yield path, self.lastmod(item) if hasattr(self, "lastmod") else None


INDEX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


@require_safe
def index(request, sitemaps, sitemap_url_name):
    """The index of every page of every section, written directly: the bytes Django's index
    view writes (no lastmod: get_latest_lastmod()), from one query of the tables' largest ids
    where Django's view built each section's items and asked for each section's count."""
    listed = [sitemap.model for sitemap in sitemaps.values() if sitemap.model]
    largest = dict(zip(listed, largest_ids(listed), strict=True))
    origin = f"{request.scheme}://{get_current_site(request).domain}"
    lines = [INDEX_HEAD]
    for name, sitemap in sitemaps.items():
        url = origin + reverse(sitemap_url_name, kwargs={"section": name})
        if sitemap.model:
            pages = pages_for(largest[sitemap.model], sitemap.limit)
        else:
            pages = sitemap().paginator.num_pages
        for number in range(1, pages + 1):
            location = url if number == 1 else f"{url}?p={number}"
            lines.append(f"<sitemap><loc>{escape(location)}</loc></sitemap>")
    lines.append("\n</sitemapindex>\n")
    response = HttpResponse("".join(lines), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap views say
    return response


SITEMAP_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


@require_safe
def section(request, sitemaps, section):
    """One page of a section, written directly: what Django's sitemap view writes (without
    its changefreq, priority and alternates, which we do not use), in a few milliseconds."""
    if section not in sitemaps:
        raise Http404(f"No sitemap section {section!r}.")
    sitemap = sitemaps[section]()
    try:
        page = sitemap.paginator.page(request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such page.") from error
    origin = escape(f"{request.scheme}://{get_current_site(request).domain}")
    lines, latest, zone = [SITEMAP_HEAD], None, timezone.get_current_timezone()
    for path, lastmod in sitemap.entries(page.object_list):
        if not lastmod:
            lines.append(f"<url><loc>{origin}{escape(path)}</loc></url>\n")
            continue
        if isinstance(lastmod, datetime.datetime):
            latest = max(latest or lastmod, lastmod)
            lastmod = lastmod.astimezone(zone).date()
        lines.append(f"<url><loc>{origin}{escape(path)}</loc><lastmod>{lastmod}</lastmod></url>\n")
    lines.append("</urlset>\n")
    if hasattr(sitemap, "last_modified"):  # sections whose entries carry local dates
        latest = sitemap.last_modified(page.object_list)
    response = HttpResponse("".join(lines), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap views say
    if latest:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


class PostSitemap(SectionSitemap):
    model = Post

    def items(self):
        return Post.objects.published().only("slug", "published_at", "last_updated_at")

    def lastmod(self, post):
        # An update or correction is a change readers (and search engines) should see.
        return post.last_updated_at or post.published_at

    def entries(self, posts):
        path = PathTemplate("blog:post", *post_path_args(datetime.date(9876, 5, 4), "slug-0-slug"))
        path = path.format
        # lastmod() as the local date the sitemap prints, made by the database: a date
        # column loads in a fraction of a time-zone-aware moment's time.
        changed_on = TruncDate(changed(), tzinfo=timezone.get_current_timezone())
        for slug, day, lastmod in posts.values_list("slug", "published_on", changed_on):
            yield path(*post_path_args(day, slug)), lastmod

    def last_modified(self, posts):
        return posts.aggregate(latest=Max(changed()))["latest"]


def changed():
    """When a post last changed for readers (lastmod()): an update or correction is a change."""
    return Coalesce("last_updated_at", "published_at")


class TagSitemap(SectionSitemap):
    model = Tag

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
    model = Speaker

    def items(self):
        return Speaker.objects.public().only("slug")

    def entries(self, speakers):
        path = PathTemplate("quotes:speaker", "slug-0-slug")
        return ((path(slug), None) for slug in speakers.values_list("slug", flat=True))


class SourceSitemap(SectionSitemap):
    model = Source

    def items(self):
        return Source.objects.public().only("slug")

    def entries(self, sources):
        path = PathTemplate("quotes:source", "slug-0-slug")
        return ((path(slug), None) for slug in sources.values_list("slug", flat=True))


class QuotationSitemap(SectionSitemap):
    model = Quotation

    def items(self):
        return Quotation.objects.public().only("pk", "modified_at")

    def lastmod(self, quotation):
        return quotation.modified_at

    def entries(self, quotations):
        path = PathTemplate("quotes:quotation", 987654321)
        return ((path(pk), at) for pk, at in quotations.values_list("pk", "modified_at"))
