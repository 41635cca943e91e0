"""Freshness: the one owner of stored pages and cached pages being right.

Posts and quotations keep their pages rendered in their rows (blog/rendering.py,
quotes/rendering.py), and public pages are kept whole in the shared page cache
(ops/pagecache.py). Both must change when what they show changes. Models and the admin
only report what changed:

    freshness.changed(instance, created=..., deleted=..., fields={...})
    freshness.comments_changed([post_id, ...])

and this module, with the rules in freshness/rules.py, decides what that means. Changes
are collected in a batch (the admin, moderation and importers open one around a whole
request with `batch()`; anywhere else each call is a batch of its own) and acted on once,
when the batch ends, still inside the transaction:

1. what was edited is rendered at once (the post being saved, the quotation and its
   excerpt), so its editor sees the result;
2. everything else it shows up in is marked stale in one UPDATE per kind (rendered_with=0)
   and rendered by a background job (freshness/tasks.py) enqueued in the same transaction,
   so a commit never loses it; a stale row read before its job runs is rendered on read;
3. the page-cache keys of what changed are purged once, after the commit.

Renderers write only the columns they derive, from the rows as they are, under a row lock,
and purge only when what they derived differs from what was stored.
"""

import contextlib
import threading

_local = threading.local()


class Batch:
    """What one transaction changed, acted on once at its end."""

    def __init__(self):
        self.render_posts = {}  # post id -> True for a full render, False for comments only
        self.render_quotations = set()
        self.stale = []  # (model, queryset of ids) to mark stale
        self.keys = set()  # page-cache keys to purge after the commit

    def post(self, pk, *, body=True):
        if pk is not None:
            self.render_posts[pk] = self.render_posts.get(pk, False) or body

    def quotation(self, pk):
        if pk is not None:
            self.render_quotations.add(pk)

    def mark_stale(self, model, ids):
        """`ids`: a queryset of primary keys (values("pk")), run as one UPDATE at the end."""
        self.stale.append((model, ids))

    def purge(self, *keys):
        self.keys.update(keys)

    def apply(self):
        from . import rules

        rules.apply(self)


def active_batch():
    return getattr(_local, "batch", None)


@contextlib.contextmanager
def batch():
    """Collect every change made inside and act once at the end (nested batches join)."""
    if active_batch() is not None:
        yield active_batch()
        return
    current = _local.batch = Batch()
    try:
        yield current
        current.apply()
    finally:
        _local.batch = None


def changed(instance, *, created=False, deleted=False, fields=None):
    """`instance` was saved (or is about to be deleted); `fields`: what changed, if known."""
    from . import rules

    with batch() as current:
        rules.record(current, instance, created=created, deleted=deleted, fields=fields)


def comments_changed(post_ids):
    """The public comments of these posts changed: their comments blocks render again."""
    with batch() as current:
        for pk in post_ids:
            current.post(pk, body=False)


def purge(*keys):
    """Page-cache keys to purge once the current transaction commits."""
    with batch() as current:
        current.purge(*keys)


class TracksChanges:
    """A model mixin: remembers the `tracked_fields` as loaded, to tell what a save changed."""

    tracked_fields = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = instance.tracked_values()
        return instance

    def tracked_values(self):
        loaded = self.__dict__
        return {f: loaded[f] for f in self.tracked_attnames() if f in loaded}

    @classmethod
    def tracked_attnames(cls):
        # Looked up once per class: every row loaded asks (get_field per field per row was
        # ~5 ms of a page loading 80 rows).
        names = cls.__dict__.get("_tracked_attnames")
        if names is None:
            names = [cls._meta.get_field(name).attname for name in cls.tracked_fields]
            cls._tracked_attnames = names
        return names

    def changed_fields(self, created=False):
        """Tracked fields whose value differs from the row as loaded (all of them if new)."""
        before = getattr(self, "_loaded", None)
        names = self.tracked_attnames()
        if created or before is None:
            return set(names)
        now = self.tracked_values()
        return {f for f in names if f not in before or before[f] != now.get(f)}

    def remember_saved(self):
        self._loaded = self.tracked_values()
