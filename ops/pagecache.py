"""A shared page cache for anonymous readers, purged by what each page shows.

Every cacheable view says what its page shows as keys (`tag(response, "post:12",
"speaker:5", ...)`; the vocabulary is in freshness/rules.py). A cached entry keeps its keys
and the value of a shared clock read before the page was rendered. Purging keys (on
commit, by freshness/) moves the clock on and records the new value as each key's
version; an entry is current while none of its keys has a version newer than the clock it
was rendered at. So a change purges exactly the pages showing what changed, on every app
server at once, and a render that raced with a change is never kept as current.

A request costs nothing but a dictionary lookup when the page is in this process's own
small cache and was checked less than PAGE_CACHE_RECHECK_SECONDS ago (50 ms in production:
a purge reaches every process within that bound, and a busy page is checked some twenty
times a second rather than on each of its thousands of requests). Otherwise it costs one
round trip of four small values when the page is in this process's own
small cache and nothing was purged since this process last checked it (a count of finished
purges says so); a second round trip reads its keys' versions when something was, and
when the page is not in this process. After a purge, one request renders the
page again (it holds a lock for at most STALE_SECONDS) while the others get the previous
copy, marked `X-Page-Cache: stale`: N workers never render the same page at once.

Pages that change with no write (a scheduled post appears, comments close by age) are
purged when their time comes: the time of the next such change is kept beside the clock.

The cache is a performance layer. If it fails, the request is served from the database,
a warning is logged and the cache is left alone for a few seconds; purges that failed are
retried with the next successful call.
"""

import gzip
import hashlib
import logging
import math
import secrets
import threading
import time
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

logger = logging.getLogger(__name__)
monotonic = time.monotonic  # the tests move it on

CLOCK = "pc:clock"
# Changes when the clock restarts: entries from before are not compared with the new clock.
EPOCH = "pc:epoch"
NEXT_CHANGE = "pc:next-change"
CHECKED_UNTIL = "pc:checked-until"
# Purges finished (their key versions written). Unchanged since a local copy was checked:
# no key of it can have moved, so its keys need not be read again.
PURGES_DONE = "pc:purges-done"
# The query parameters public views read; any other is left out of the cache key (the
# plain page is shared), so junk query strings cannot fill the cache.
QUERY_PARAMETERS = ("page", "p", "q", "qpage", "before", "after", "qbefore", "qafter")
# Seconds a purged page may still be served while one request renders it again.
STALE_SECONDS = 10
# Seconds the cache is left alone after it failed.
BACKOFF_SECONDS = 5
EVERY_PAGE = "all"


def page_key(request):
    params = [(name, request.GET[name]) for name in QUERY_PARAMETERS if name in request.GET]
    query = "?" + urlencode(params) if params else ""
    url = f"{request.scheme}://{request.get_host()}{request.path}{query}"
    return "pc:page:" + hashlib.blake2s(url.encode()).hexdigest()


def version_key(key):
    return "pc:key:" + key


def tag(response, *keys):
    """Say what the page in `response` shows: it is cached, and purged by these keys."""
    response.page_keys = {*getattr(response, "page_keys", ()), *keys}
    return response


class Health:
    """Whether the shared cache answered lately; failures back off for BACKOFF_SECONDS."""

    def __init__(self):
        self.down_until = 0.0
        self.unsent_purges = set()
        self.lock = threading.Lock()

    @property
    def up(self):
        return time.monotonic() >= self.down_until

    def failed(self, error, what):
        if self.up:
            logger.warning("page cache: %s failed (%s); serving from the database", what, error)
        self.down_until = time.monotonic() + BACKOFF_SECONDS


health = Health()


class LocalPages:
    """This process's own copies of cached pages, least recently used first out."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()
        self.purged_at = -math.inf  # when this process last sent a purge

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        if self.max_bytes <= 0:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old["content"])
            self.entries[key] = entry
            self.size += len(entry["content"])
            while self.size > self.max_bytes and self.entries:
                _, evicted = self.entries.popitem(last=False)
                self.size -= len(evicted["content"])

    def drop(self, key):
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old["content"])

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


local_pages = LocalPages(getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 0))


def lookup(request, key):
    """(entry or None, stamp, state): state is "hit", "stale" (serve it: another request is
    rendering) or "miss" (render, then `store` it with `stamp`, the clock read before).
    Raises if the cache fails."""
    flush_unsent_purges()
    entry = local_pages.get(key)
    recheck = settings.PAGE_CACHE_RECHECK_SECONDS
    if entry is not None and recheck:
        checked_at = entry.get("checked_at", -math.inf)
        # This process's own purges count at once (an editor sees their change).
        if checked_at > local_pages.purged_at and monotonic() - checked_at < recheck:
            return entry, None, "hit"
    wanted = [CLOCK, EPOCH, NEXT_CHANGE, PURGES_DONE]
    found = cache.get_many([*wanted, key] if entry is None else wanted)
    done = found.get(PURGES_DONE)
    if entry is None and (entry := found.get(key)) is not None:
        local_pages.put(key, entry)
    checked = entry is not None and done is not None and entry.get("checked") == done
    if entry is not None and not checked:
        found |= cache.get_many([version_key(k) for k in entry["keys"]])
    clock, epoch = found.get(CLOCK), found.get(EPOCH)
    if clock is None or epoch is None:  # a new clock purges every page, this one included
        return None, restart_clock(), "miss"
    stamp = (clock, epoch)
    due = found.get(NEXT_CHANGE)
    if due is None or due <= time.time():
        try:
            moved = timed_changes()
        except DatabaseError as error:  # no database: cached pages are still served
            logger.warning("page cache: scheduled changes not checked (%s)", error)
            moved = False
        if moved:  # the versions read above are older than its purge
            return entry, (cache.get(CLOCK, clock), epoch), "miss"
    if entry is None or entry.get("epoch") != epoch:
        return None, stamp, "miss"
    if checked or all(found.get(version_key(k), 0) <= entry["at"] for k in entry["keys"]):
        # Current as of `done` finished purges (read before the versions): until another
        # finishes, this process's copy needs no versions read.
        entry["checked"], entry["checked_at"] = done, monotonic()
        return entry, stamp, "hit"
    # Purged: one request renders it again, the others get this copy meanwhile.
    if cache.add("pc:lock:" + key, 1, timeout=STALE_SECONDS):
        return entry, stamp, "miss"
    return entry, stamp, "stale"


def store(key, stamp, response, keys):
    """Keep `response` (rendered after the clock read `stamp`), purged by `keys`."""
    content = gzip.compress(response.content, compresslevel=6, mtime=0)
    if len(content) > settings.PAGE_CACHE_MAX_BYTES:
        return
    entry = {
        "content": content,
        "headers": dict(response.headers),
        "keys": sorted({*keys, EVERY_PAGE}),
        "at": stamp[0],
        "epoch": stamp[1],
    }
    cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
    cache.delete("pc:lock:" + key)
    local_pages.put(key, entry)


def forget(key):
    """Drop the page at `key` (and the lock of whoever was rendering it) everywhere."""
    cache.delete_many([key, "pc:lock:" + key])
    local_pages.drop(key)


def purge(keys):
    """Every cached page showing any of `keys` is stale from now on, on every server."""
    keys = set(keys)
    try:
        send_purge(keys)
    except Exception as error:  # the cache is down: keep them for the next call
        health.failed(error, "purge")
        with health.lock:
            health.unsent_purges |= keys
    hook = settings.PAGE_CACHE_PURGE_HOOK
    if hook:
        from django.utils.module_loading import import_string

        import_string(hook)(sorted(keys))


def send_purge(keys):
    local_pages.purged_at = monotonic()
    try:
        clock = cache.incr(CLOCK)
    except ValueError:  # evicted or never set: the new clock purges everything anyway
        clock, _ = restart_clock()
    cache.set_many({version_key(k): clock for k in keys}, timeout=None)
    if keys & {"posts", EVERY_PAGE}:  # a post was published, moved or scheduled: look again
        cache.delete(NEXT_CHANGE)
    # Last, once the versions are written: local copies checked before this are checked again.
    try:
        cache.incr(PURGES_DONE)
    except ValueError:  # evicted or never set: copies checked against an older count recheck
        cache.add(PURGES_DONE, secrets.randbelow(2**62))


def flush_unsent_purges():
    if health.unsent_purges:
        with health.lock:
            keys, health.unsent_purges = health.unsent_purges, set()
        send_purge(keys)


def restart_clock():
    """A new clock (the cache was emptied or restarted), above any value it had before, and
    every page purged: key versions may have been lost with it."""
    clock = time.time_ns() // 1000
    epoch = secrets.token_hex(8)
    cache.set_many(
        {
            CLOCK: clock,
            EPOCH: epoch,
            version_key(EVERY_PAGE): clock,
            PURGES_DONE: secrets.randbelow(2**62),
        },
        timeout=None,
    )
    return clock, epoch


def timed_changes():
    """Purge the pages of posts that appeared or closed their comments since the last look,
    then note when the next such change is due. True if anything was purged."""
    if not cache.add("pc:lock:schedule", 1, timeout=30):
        return False
    from blog.models import Post

    try:  # the lock is released whatever happens
        now = time.time()
        since = cache.get(CHECKED_UNTIL) or now - settings.PAGE_CACHE_SECONDS
        due = Post.objects.due_between(since, now)
        if due:
            send_purge({"posts", "tags", *due})
        cache.set_many({CHECKED_UNTIL: now, NEXT_CHANGE: next_change()}, timeout=None)
        return bool(due)
    finally:
        cache.delete("pc:lock:schedule")


def next_change():
    """Epoch seconds of the next scheduled post or automatic comment closing, or infinity."""
    from blog.models import Post

    upcoming = Post.objects.next_timed_change()
    return upcoming.timestamp() if upcoming else math.inf
