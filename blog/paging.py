"""Keyset ("before this date") paging for long lists of posts, newest first.

A page is found by where the previous one ended (`?before=<date>_<id>`) rather than by
its number, so page 500 costs what page 1 does: an index range from the cursor, LIMIT n+1,
no COUNT and no OFFSET that reads and throws away every newer row.
"""

import datetime

from django.db.models import IntegerField, Q, Subquery
from django.http import Http404, QueryDict

CURSOR_FORMAT = "%Y%m%dT%H%M%S.%fZ"


def cursor(post):
    """Where a list stops at `post`: its UTC publication time and id (ties share a time)."""
    return f"{post.published_at.astimezone(datetime.UTC):{CURSOR_FORMAT}}_{post.pk}"


def parse_cursor(value):
    try:
        moment, pk = value.split("_")
        moment = datetime.datetime.strptime(moment, CURSOR_FORMAT).replace(tzinfo=datetime.UTC)
        return moment, int(pk)
    except ValueError as error:
        raise Http404("No such page.") from error


class KeysetPage:
    """Up to `per_page` posts of `queryset`, newest first, before or after a cursor."""

    def __init__(self, request, queryset, per_page, before="before", after="after"):
        self.request, self.params = request, (before, after)
        older_than, newer_than = request.GET.get(before), request.GET.get(after)
        if older_than:
            moment, pk = parse_cursor(older_than)
            queryset = queryset.filter(
                Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk)
            ).order_by("-published_at", "-pk")
        elif newer_than:
            moment, pk = parse_cursor(newer_than)
            queryset = queryset.filter(
                Q(published_at__gt=moment) | Q(published_at=moment, pk__gt=pk)
            ).order_by("published_at", "pk")
        else:
            queryset = queryset.order_by("-published_at", "-pk")
        rows = list(queryset[: per_page + 1])  # one more tells whether another page follows
        more = len(rows) > per_page
        rows = rows[:per_page]
        if newer_than:
            rows.reverse()
        self.object_list = rows
        self.is_first = not (older_than or newer_than) or (bool(newer_than) and not more)
        self.has_older = more if not newer_than else True
        self.has_newer = not self.is_first
        if not rows:  # a cursor past either end: only the way back to the start
            self.has_older = self.has_newer = False

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def link(self, name, post):
        query = self.request.GET.copy()
        for param in self.params:
            query.pop(param, None)
        if post is not None:
            query[name] = cursor(post)
        return f"?{query.urlencode()}" if query else self.request.path

    @property
    def older_url(self):
        return self.has_older and self.link(self.params[0], self.object_list[-1])

    @property
    def newer_url(self):
        return self.has_newer and self.link(self.params[1], self.object_list[0])

    @property
    def first_url(self):
        return self.link(None, None)

    @property
    def canonical_query(self):
        """This page's own address parameter (`?before=...`), "" for the first page."""
        for param in self.params:
            if value := self.request.GET.get(param):
                return "?" + QueryDict.fromkeys([param], value).urlencode()
        return ""


class CappedCount(Subquery):
    """How many rows a sliced subquery has, up to its slice: a count whose cost has a ceiling.

    Wrap `qs.values("pk")[:cap]`; the database stops reading at the cap, so counting a tag
    of 30,000 posts costs what counting one of `cap` does.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()
