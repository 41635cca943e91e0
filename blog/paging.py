"""Keyset ("before this one") paging for long lists: posts newest first, quotations by date.

A page is found by where the previous one ended (`?before=<date>_<id>`) rather than by
its number, so page 500 costs what page 1 does: an index range from the cursor, LIMIT n+1,
no COUNT and no OFFSET that reads and throws away every newer row.

A `Keyset` says which order a list is paged in (its keys, the last one unique) and how a
row's keys are written in a cursor; `POSTS` (newest first) is the default. Lists by name
(speakers, tags) page the same way, their names written into the cursor (`dump_text`).
"""

import datetime
import functools
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, IntegerField, Q, Subquery
from django.http import Http404, QueryDict

from ops.prepared import Prepared

CURSOR_FORMAT = "%Y%m%dT%H%M%S.%fZ"
BIGGEST_ID = 2**63 - 1  # a larger number in a cursor would overflow the database's integer


def load_id(text):
    number = int(text)
    if not 0 <= number <= BIGGEST_ID:
        raise ValueError(text)
    return number


def dump_text(text):
    """A name or title in a cursor: "_" separates a cursor's keys, so it (and "%", which
    escapes it) is written as its %-escape."""
    return text.replace("%", "%25").replace("_", "%5F")


def load_text(text):
    return urllib.parse.unquote(text)


def dump_moment(moment):
    return f"{moment.astimezone(datetime.UTC):{CURSOR_FORMAT}}"


def load_moment(text):
    return datetime.datetime.strptime(text, CURSOR_FORMAT).replace(tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Key:
    """One key of an order: the row's attribute `name` (an annotation when `expression`)."""

    name: str
    descending: bool = False
    dump: Callable[[Any], str] = str
    load: Callable[[str], Any] = load_id
    expression: Any = None


class Keyset:
    """An order to page a list in, and its cursors: the keys' values joined by "_"."""

    def __init__(self, *keys):
        self.keys = keys

    def ordered(self, queryset, backwards=False):
        """`queryset` with its keys annotated, in this order (reversed when `backwards`)."""
        queryset = queryset.annotate(
            **{key.name: key.expression for key in self.keys if key.expression is not None}
        )
        return queryset.order_by(*(self.order_by(key, backwards) for key in self.keys))

    @staticmethod
    def order_by(key, backwards):
        descending = key.descending != backwards
        return F(key.name).desc() if descending else F(key.name).asc()

    def page(self, queryset, backwards, cursor):
        """`queryset` in this order past `cursor` (all of it when []); reversed `backwards`."""
        queryset = self.ordered(queryset, backwards)
        return queryset.filter(self.past(cursor, backwards)) if cursor else queryset

    def cursor(self, row):
        """Where a list stops at `row` (an object, or a dict from `values()`): its keys."""
        value = row.get if isinstance(row, dict) else functools.partial(getattr, row)
        return "_".join(key.dump(value(key.name)) for key in self.keys)

    def parse(self, value):
        """The keys' values in `value`; a cursor that is not one of this order's is a 404."""
        parts = value.split("_")
        try:
            if len(parts) != len(self.keys):
                raise ValueError(value)
            return [key.load(part) for key, part in zip(self.keys, parts, strict=True)]
        except ValueError as error:
            raise Http404("No such page.") from error

    def past(self, values, backwards=False):
        """The rows after the cursor `values` in this order (before it when `backwards`).

        (a, b) after (x, y): a < x, or a = x and b < y (descending). The redundant a <= x
        in front gives the database a range to start its index scan from; without it an OR
        may be read as a filter over every row the cursor has passed.
        """

        def beyond(key, value, inclusive=False):
            lookup = "lt" if key.descending != backwards else "gt"
            return Q(**{f"{key.name}__{lookup}{'e' if inclusive else ''}": value})

        first = self.keys[0]
        condition, equal = Q(), Q()
        for key, value in zip(self.keys, values, strict=True):
            condition |= equal & beyond(key, value)
            equal &= Q(**{key.name: value})
        if len(self.keys) == 1:
            return condition
        return beyond(first, values[0], inclusive=True) & condition


POSTS = Keyset(
    Key("published_at", descending=True, dump=dump_moment, load=load_moment),
    Key("pk", descending=True),
)


class PreparedList:
    """A list for KeysetPage whose page queries are built and compiled once a process
    (ops/prepared.py): `build(*values)` makes the list's queryset from a request's values
    (ints, strs, dates, moments: a speaker's id, the time now), `bind(*values)` is that
    request's list. For the lists every uncached page of a kind reads."""

    def __init__(self, build):
        self.build = build
        self.queries = {}

    def bind(self, *values):
        return self.Bound(self, values)

    class Bound:
        def __init__(self, listed, values):
            self.listed, self.values = listed, values

        def rows(self, keyset, backwards, cursor, limit):
            """`limit` rows of the list past `cursor`, as KeysetPage reads them."""
            return self.listed.query(keyset, backwards, bool(cursor), limit, len(self.values))(
                *self.values, *cursor
            )

    def query(self, keyset, backwards, has_cursor, limit, count):
        key = (keyset, backwards, has_cursor, limit, count)
        if key not in self.queries:

            def build(*values):  # the list's values, then the cursor's
                listed = self.build(*values[:count])
                return keyset.page(listed, backwards, list(values[count:]))[:limit]

            self.queries[key] = Prepared(build)
        return self.queries[key]


def cursor(post):
    """Where a list of posts stops at `post`: its UTC publication time and id."""
    return POSTS.cursor(post)


class KeysetPage:
    """Up to `per_page` rows of `queryset` in `keyset`'s order, after or before a cursor.

    `before` names the parameter of the next page's cursor (further down the list: older
    posts), `after` that of the previous page's (back up towards the first page).
    """

    def __init__(self, request, queryset, per_page, before="before", after="after", keyset=POSTS):
        self.request, self.params, self.keyset = request, (before, after), keyset
        older_than, newer_than = request.GET.get(before), request.GET.get(after)
        newer_than = None if older_than else newer_than  # `before` wins when both are given
        cursor = keyset.parse(older_than or newer_than) if older_than or newer_than else []
        # One more row than shown tells whether another page follows.
        if isinstance(queryset, PreparedList.Bound):
            rows = queryset.rows(keyset, bool(newer_than), cursor, per_page + 1)
        else:
            rows = list(keyset.page(queryset, bool(newer_than), cursor)[: per_page + 1])
        more = len(rows) > per_page
        rows = rows[:per_page]
        if newer_than:
            rows.reverse()
        # What the cursors are read from; a list may show other objects for its rows.
        self.rows = self.object_list = rows
        self.is_first = not (older_than or newer_than) or (bool(newer_than) and not more)
        self.has_older = more if not newer_than else True
        self.has_newer = not self.is_first
        if not rows:  # a cursor past either end: only the way back to the start
            self.has_older = self.has_newer = False

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def link(self, name, row):
        query = self.request.GET.copy()
        for param in self.params:
            query.pop(param, None)
        if row is not None:
            query[name] = self.keyset.cursor(row)
        return f"?{query.urlencode()}" if query else self.request.path

    @property
    def older_url(self):
        return self.has_older and self.link(self.params[0], self.rows[-1])

    @property
    def newer_url(self):
        return self.has_newer and self.link(self.params[1], self.rows[0])

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
