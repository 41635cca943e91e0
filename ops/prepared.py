"""Queries built and compiled once per process, then run again with new values.

Building a queryset (filter(), only(), order_by() ...) and compiling it to SQL costs 0.3 to
0.7 ms of Python a query, the same on every request, while the database answers a list
page's indexed queries in a fraction of that. A `Prepared` query is built once from its
`build(*values)` function with stand-in values and compiled; where each value went among the
SQL's parameters is noted. Every later call only puts the new values there and runs the SQL
through the queryset's own result machinery: the model instances, converters and values()
rows are Django's own.

    posts_of = Prepared(lambda author_id, now: Post.objects.filter(
        author_id=author_id, published_at__lte=now).only("title"))
    posts_of(7, timezone.now())

It is checked when first compiled: built twice with different stand-ins, the SQL must be the
same and every other parameter equal. So a value taken from outside the arguments (a
timezone.now() inside `build`) differs between the two and is refused, as is a value that
reaches the SQL only transformed (`__contains`). A value is an int, str, date or datetime,
never None (which changes the SQL); `shape` names anything else that changes it, such as
which cursor a page was given (the number of values is part of it). One database.
"""

import copy
import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.http import Http404


class Prepared:
    """A query compiled once per `shape` (see the module's docstring)."""

    def __init__(self, build):
        self.build = build
        self.compiled = {}

    def __call__(self, *values, shape=None):
        """The rows of `build(*values)`, as a list."""
        return self.compiled_for(values, shape).run(values)

    def sql(self, *values, shape=None):
        """(sql, params) of `build(*values)`: to run inside a larger statement of one's own."""
        compiled = self.compiled_for(values, shape)
        return compiled.sql, compiled.bind(values, connections[compiled.alias])

    def compiled_for(self, values, shape):
        shape = (shape, len(values))
        compiled = self.compiled.get(shape)
        if compiled is None:
            compiled = self.compiled[shape] = Compiled(self.build, values)
        return compiled

    def first(self, *values, shape=None):
        """The first row of `build(*values)`, or None."""
        return next(iter(self(*values, shape=shape)), None)

    def first_or_404(self, *values, missing="Nothing at this address."):
        """The first row of `build(*values)`; Http404 (saying `missing`) when there is none:
        a page's own record, as get_object_or_404 finds it."""
        row = self.first(*values)
        if row is None:
            raise Http404(missing)
        return row


def padded(ids, length):
    """`ids` filled up to `length` with 0, no row's id: a list of ids as a prepared query's
    values, one SQL (and one compiled query) for every page of up to `length`."""
    return [*ids, *[0] * (length - len(ids))]


class Compiled:
    def __init__(self, build, values):
        first = build(*(stand_in(value, place, 1) for place, value in enumerate(values)))
        second = build(*(stand_in(value, place, 2) for place, value in enumerate(values)))
        if first._prefetch_related_lookups:
            raise ImproperlyConfigured("A prepared query cannot prefetch_related().")
        self.queryset, self.alias = first, first.db
        self.compiler = first.query.get_compiler(self.alias)
        self.sql, params = self.compiler.as_sql()
        other_sql, other_params = second.query.get_compiler(self.alias).as_sql()
        if self.sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured(
                f"The SQL of a prepared query changes with its values: {self.sql}"
            )
        self.params = list(params)
        # (parameter's position, value's position, the connection's adapter of the value)
        self.places = []
        for at, (one, two) in enumerate(zip(params, other_params, strict=True)):
            if one != two:
                self.places.append((at, *self.find(one, two, values)))
        if {value for _, value, _ in self.places} != set(range(len(values))):
            raise ImproperlyConfigured(
                f"A value of a prepared query is not a parameter of its SQL: {self.sql}"
            )

    def find(self, one, two, values):
        """Which value's stand-ins are the parameters `one` (first build) and `two`."""
        ops = connections[self.alias].ops
        for place, value in enumerate(values):
            for adapter in ADAPTERS[type(value)]:
                adapt = getattr(ops, adapter) if adapter else (lambda value: value)
                if (
                    adapt(stand_in(value, place, 1)) == one
                    and adapt(stand_in(value, place, 2)) == two
                ):
                    return place, adapter
        raise ImproperlyConfigured(
            f"A parameter of a prepared query comes from outside its values ({one!r}): {self.sql}"
        )

    def bind(self, values, connection):
        """The SQL's parameters with `values` in their places."""
        params = list(self.params)
        for at, place, adapter in self.places:
            value = values[place]
            params[at] = getattr(connection.ops, adapter)(value) if adapter else value
        return params

    def run(self, values):
        connection = connections[self.alias]
        params = self.bind(values, connection)
        compiler = copy.copy(self.compiler)  # its select list, converters' fields: read only
        compiler.connection = connection  # this thread's
        compiler.as_sql = lambda *args, **kwargs: (self.sql, params)
        return list(self.queryset._iterable_class(Run(self.queryset, compiler)))


class Run:
    """What Django's result iterables read of a queryset, its compiler already made."""

    def __init__(self, queryset, compiler):
        self.db, self.model, self._fields = queryset.db, queryset.model, queryset._fields
        self._known_related_objects = queryset._known_related_objects
        self.query = CompiledQuery(queryset.query, compiler)


class CompiledQuery:
    def __init__(self, query, compiler):
        self.query, self.compiler = query, compiler

    def get_compiler(self, *args, **kwargs):
        return self.compiler

    def __getattr__(self, name):  # the names of values() rows
        return getattr(self.query, name)


# How the database receives a value of each type: as it is, or through connection.ops (on
# SQLite, dates and moments become text).
ADAPTERS = {
    int: [None],
    str: [None],
    datetime.date: [None, "adapt_datefield_value"],
    datetime.datetime: [None, "adapt_datetimefield_value"],
}


def stand_in(value, place, build):
    """A value of `value`'s type, unlike any real one and unique to its place and build."""
    kind = type(value)
    if kind is int:
        return 987_000_000 + 10 * place + build
    if kind is str:
        return f"stand-in {build} for value {place} \ue000"
    if kind is datetime.datetime:
        return datetime.datetime(2999, 1, 1 + place, 0, 0, build, tzinfo=value.tzinfo)
    if kind is datetime.date:
        return datetime.date(2999, build, 1 + place)
    raise TypeError(f"A prepared query takes ints, strs, dates and datetimes, not {value!r}.")
