import datetime
import math
from html import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.db.models import DateField, Max
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from ops.prepared import Prepared
from quotes.models import Quotation, Source, Speaker

from .models import Post, Tag
from .models.post import post_path_args


class KeyRangePaginator:
    """Pages of a `model`'s `items()` by primary-key range: page n holds the items whose id
    is in ((n-1)·limit, n·limit]. The page count is the table's largest id over `limit` (one
    index lookup, where Django's Paginator counts the filtered rows on every request: the
    whole table, at 100,000 posts), and a page is an index range scan, never a deep OFFSET.
    A page can hold fewer than `limit` items (drafts, deleted rows), never more: nothing is
    dropped."""

    def __init__(self, items, limit, model):
        self.items, self.limit, self.model = items, limit, model

    @property
    def num_pages(self):
        return pages_for(largest_ids([self.model])[0], self.limit)

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results")
        low = (number - 1) * self.limit
        return KeyRange(self.items, low, low + self.limit)


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


class KeyRange:
    """A page of ids in (low, high]; its `object_list` is only built for the sections that
    read it (the posts' entries are a prepared query of the range)."""

    def __init__(self, items, low, high):
        self.items, self.low, self.high = items, low, high

    @cached_property
    def object_list(self):
        return self.items().filter(pk__gt=self.low, pk__lte=self.high).order_by("pk")


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
    # For sections whose entries carry local dates: a prepared query (ops/prepared.py) of a
    # page's id range and the moment, its one row the page's latest change (Last-Modified).
    latest_change = None

    # The protocol allows 50,000 a file; a file of 1,000 is a few milliseconds written by
    # section() below (Django's template took ~150 ms), 100 files at 100,000 posts.
    limit = 1000

    @property
    def paginator(self):
        if self.model is None:  # a fixed list (the site's own pages)
            return super().paginator
        return KeyRangePaginator(self._items, self.limit, self.model)

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item of the section to put one date in
        # the index: the whole table loaded per request. The index goes without it.
        return None

    def entries(self, page):
        """(path, lastmod or None) of each item on `page`; sections override it with a
        query of the columns they need."""
        for item in page.object_list:
            path = self.location(item) if hasattr(self, "location") else item.get_absolute_url()
            yield path, self.lastmod(item) if hasattr(self, "lastmod") else None

    def last_modified(self, page):
        latest = self.latest_change.first(page.low, page.high, timezone.now())
        return latest[0] if latest else None


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
    for path, lastmod in sitemap.entries(page):
        if not lastmod:
            lines.append(f"<url><loc>{origin}{escape(path)}</loc></url>\n")
            continue
        if isinstance(lastmod, datetime.datetime):
            latest = max(latest or lastmod, lastmod)
            lastmod = lastmod.astimezone(zone).date()
        lines.append(f"<url><loc>{origin}{escape(path)}</loc><lastmod>{lastmod}</lastmod></url>\n")
    lines.append("</urlset>\n")
    if sitemap.latest_change:  # sections whose entries carry local dates
        latest = sitemap.last_modified(page)
    response = HttpResponse("".join(lines), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap views say
    if latest:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


def changed():
    """When a post last changed for readers (its lastmod): an update or correction is a
    change readers (and search engines) should see."""
    return Coalesce("last_updated_at", "published_at")


def posts_between(low, high, now):
    """The published posts whose ids are in (low, high]: a page of the section. Read from the
    post_sitemap index alone on PostgreSQL (its columns are the index's)."""
    return Post.objects.published(now).filter(pk__gt=low, pk__lte=high)


def local_day(moment):
    """The blog's local date of `moment`, made by the database: the date a sitemap prints as
    lastmod loads in a fraction of a time-zone-aware moment's time (1,000 a page). Cast to
    a date again so that each row is not passed through TruncDate's converter as well."""
    return Cast(TruncDate(moment, tzinfo=timezone.get_default_timezone()), DateField())


# Compiled once a process (ops/prepared.py); a page's id range and the moment are the values.
POST_ENTRIES = Prepared(
    lambda low, high, now: (
        posts_between(low, high, now)
        .order_by("pk")
        .values_list("slug", "published_on", local_day(changed()))
    )
)
LATEST_POST_CHANGE = Prepared(
    lambda low, high, now: (
        posts_between(low, high, now).order_by(changed().desc()).values_list(changed())[:1]
    )
)


class PostSitemap(SectionSitemap):
    model = Post
    latest_change = LATEST_POST_CHANGE

    def items(self):
        return Post.objects.published().only("slug", "published_at", "last_updated_at")

    # items() and lastmod(): the section as Django's own sitemap view would list it (a test
    # holds entries() to it).
    def lastmod(self, post):
        return post.last_updated_at or post.published_at

    def entries(self, page):
        sentinels = post_path_args(datetime.date(9876, 5, 4), "slug-0-slug")
        path = PathTemplate("blog:post", *sentinels).format
        for slug, day, lastmod in POST_ENTRIES(page.low, page.high, timezone.now()):
            yield path(*post_path_args(day, slug)), lastmod


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

    def entries(self, page):
        path = PathTemplate("quotes:speaker", "slug-0-slug")
        slugs = page.object_list.values_list("slug", flat=True)
        return ((path(slug), None) for slug in slugs)


class SourceSitemap(SectionSitemap):
    model = Source

    def items(self):
        return Source.objects.public().only("slug")

    def entries(self, page):
        path = PathTemplate("quotes:source", "slug-0-slug")
        slugs = page.object_list.values_list("slug", flat=True)
        return ((path(slug), None) for slug in slugs)


def quotations_between(low, high, now):
    """The public quotations whose ids are in (low, high]: a page of the section."""
    return Quotation.objects.public(now).filter(pk__gt=low, pk__lte=high)


QUOTATION_ENTRIES = Prepared(
    lambda low, high, now: (
        quotations_between(low, high, now)
        .order_by("pk")
        .values_list("pk", local_day("modified_at"))
    )
)
LATEST_QUOTATION_CHANGE = Prepared(
    lambda low, high, now: (
        quotations_between(low, high, now).order_by("-modified_at").values_list("modified_at")[:1]
    )
)


class QuotationSitemap(SectionSitemap):
    model = Quotation
    latest_change = LATEST_QUOTATION_CHANGE

    def items(self):
        return Quotation.objects.public().only("pk", "modified_at")

    def lastmod(self, quotation):
        return quotation.modified_at

    def entries(self, page):
        path = PathTemplate("quotes:quotation", 987654321)
        changes = QUOTATION_ENTRIES(page.low, page.high, timezone.now())
        return ((path(pk), day) for pk, day in changes)
