"""Year and month archives, and the archive page that links them, in the blog's time zone.

Posts are filed by `Post.published_on`, the day of publication in TIME_ZONE stored on the
row, so a post published at 23:30 on March 31 in New York (04:30 on April 1, UTC) is a
March post, and every lookup is a range over one indexed column: no per-row time zone
conversion, on SQLite or PostgreSQL. Counts come from one query grouping the period shown
by month (a year at most; a window of years on the archive page), never the whole table.
"""

import datetime
from itertools import groupby
from operator import attrgetter

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.generic.dates import MonthArchiveView, YearArchiveView

from ops.pagecache import tag as page_shows
from ops.prepared import Prepared
from ops.reversing import reverse_cached

from . import views
from .models import Post
from .rendering import fresh
from .templatetags.blog_tags import listed_items

# Years the archive page shows at once; older ones are a link away (?before=YEAR).
YEARS_PER_PAGE = 5
POSTS_PER_MONTH_PAGE = 50


def published():
    return Post.objects.published()


def month_counts(queryset):
    """(first of month, published posts) over `queryset`, newest first, grouped by the stored
    local date's month: a year is twelve rows, whatever the number of posts."""
    month = TruncMonth("published_on")
    return queryset.order_by().values_list(month).annotate(n=Count("pk")).order_by(month.desc())


# What every uncached year and month page asks, compiled once a process (ops/prepared.py):
# the months of a period with their counts, and the first day with posts after or before one.
def published_between(start, end, now):
    """Posts published by `now` on the local days [start, end)."""
    return Post.objects.published(now).filter(published_on__gte=start, published_on__lt=end)


def nearest_day(lookup, order):
    """The day with posts nearest a day: the first on or after it ("gte", "published_on"),
    or the last before it ("lt", "-published_on")."""
    return Prepared(
        lambda day, now: (
            Post.objects.published(now)
            .filter(**{f"published_on__{lookup}": day})
            .order_by(order)
            .values_list("published_on", flat=True)[:1]
        )
    )


MONTHS_BETWEEN = Prepared(lambda start, end, now: month_counts(published_between(start, end, now)))
FIRST_DAY_FROM = nearest_day("gte", "published_on")
LAST_DAY_BEFORE = nearest_day("lt", "-published_on")


# A month's page of posts, newest first under their day.
LISTED = [*views.LISTED, "published_on"]
MONTH_PAGES = {}  # {(first, last row): Prepared}; the paginator has checked the page exists


def month_page(low, high):
    if (low, high) not in MONTH_PAGES:
        MONTH_PAGES[low, high] = Prepared(
            lambda start, end, now: (
                published_between(start, end, now)
                .only(*LISTED)
                .order_by("-published_on", "-published_at", "-pk")[low:high]
            )
        )
    return MONTH_PAGES[low, high]


class MonthPosts:
    """A month's published posts as Django's Paginator reads them (a count and a slice),
    each read by a prepared query: the month's count is its row of MONTHS_BETWEEN."""

    model = Post
    ordered = True

    def __init__(self, start, end):
        self.start, self.end, self.now = start, end, timezone.now()

    def count(self):
        return sum(n for _, n in MONTHS_BETWEEN(self.start, self.end, self.now))

    def __getitem__(self, page):
        return month_page(page.start, page.stop)(self.start, self.end, self.now)


def next_day_with_posts(day):
    return FIRST_DAY_FROM.first(day, timezone.now())


def previous_day_with_posts(day):
    return LAST_DAY_BEFORE.first(day, timezone.now())


class ArchiveMixin:
    """What the date-based archive views share: public posts, filed by their local date."""

    model = Post  # Django's date views would build the queryset to learn it
    date_field = "published_on"
    # published() is the rule for the future (a scheduled post is hidden until its time).
    allow_future = True
    month_format = "%m"

    # The neighbouring periods with posts (as Django's views find them with allow_empty
    # False), each one index probe for a date rather than a whole row.
    def get_next_year(self, date):
        day = next_day_with_posts(date.replace(year=date.year + 1, month=1, day=1))
        return day and day.replace(month=1, day=1)

    def get_previous_year(self, date):
        day = previous_day_with_posts(date.replace(month=1, day=1))
        return day and day.replace(month=1, day=1)

    def get_next_month(self, date):
        day = next_day_with_posts(self._get_next_month(date))
        return day and day.replace(day=1)

    def get_previous_month(self, date):
        day = previous_day_with_posts(date.replace(day=1))
        return day and day.replace(day=1)

    def render_to_response(self, context, **kwargs):
        listed = context.get("object_list")
        if not isinstance(listed, list):  # the year lists months, not posts
            listed = []
        response = super().render_to_response(context, **kwargs)
        return page_shows(response, "posts", *(f"post:{post.pk}" for post in listed))


class PostYearArchive(ArchiveMixin, YearArchiveView):
    """The months of a year that have posts, with how many each; months list the posts."""

    template_name = "blog/archive_year.html"

    def get_dated_queryset(self, **lookup):
        # Django would load the whole year to learn whether it is empty; the counts tell,
        # and the page lists months, not posts.
        return Post.objects.none()

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        start = datetime.date(int(self.get_year()), 1, 1)
        end = start.replace(year=start.year + 1)
        self.months = MONTHS_BETWEEN(start, end, timezone.now())
        if not self.months:
            raise Http404("Nothing was published that year.")
        return [month for month, _ in self.months]

    def get_context_data(self, **kwargs):
        total = sum(n for _, n in self.months)
        months = [
            (month, n, reverse_cached("blog:month", f"{month:%Y}", f"{month:%m}"))
            for month, n in self.months
        ]
        return super().get_context_data(months=months, total=total, **kwargs)


class PostMonthArchive(ArchiveMixin, MonthArchiveView):
    """A month's posts, newest first under their day, paged."""

    template_name = "blog/archive_month.html"
    paginate_by = POSTS_PER_MONTH_PAGE

    def get_dated_queryset(self, published_on__gte, published_on__lt):
        # Django would ask whether the month is empty; the page's count tells (below).
        return MonthPosts(published_on__gte, published_on__lt)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, posts, is_paginated = super().paginate_queryset(queryset, page_size)
        if not paginator.count:
            raise Http404("Nothing was published that month.")
        return paginator, page, posts, is_paginated

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # Days show as headings over the page's posts; no separate DISTINCT query.
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = context["page_obj"]  # the name the pager and <link rel> use
        posts = context["object_list"] = fresh(list(context["object_list"]))
        # Each day's lines made here, a tenth of the template loop's time for 50 posts.
        context["days"] = [
            (day, listed_items(listed))
            for day, listed in groupby(posts, key=attrgetter("published_on"))
        ]
        return context


def archive_index(request):
    """Years, newest first, each with its months and their counts; YEARS_PER_PAGE a page."""
    posts = published()
    before = request.GET.get("before")
    if before is not None:
        if not (before.isdigit() and 1 < int(before) <= 9999):
            raise Http404("No such year.")
        posts = posts.filter(published_on__lt=datetime.date(int(before), 1, 1))
    newest = posts.order_by("-published_on").values_list("published_on", flat=True).first()
    years = []
    older = None
    if newest:
        first_year = max(newest.year - YEARS_PER_PAGE + 1, 1)
        start = datetime.date(first_year, 1, 1)
        for month, n in month_counts(posts.filter(published_on__gte=start)):
            if not years or years[-1]["year"] != month.year:
                years.append({"year": month.year, "months": [], "total": 0})
            years[-1]["months"].append((month, n))
            years[-1]["total"] += n
        if posts.filter(published_on__lt=start).exists():
            older = first_year
    elif before is not None:
        raise Http404("Nothing was published before that year.")
    context = {"years": years, "older": older, "newer": before is not None}
    return page_shows(render(request, "blog/archive.html", context), "posts")
