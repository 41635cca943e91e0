"""A shared page cache for anonymous readers, correct across many app servers.

Every cached page is stored with the content version it was rendered at. Any change to
what public pages show (a post, update, tag, quotation, speaker or source) bumps the
version in the shared cache, so every page on every server is stale at once: coarse, but
a blog changes rarely and is read often, and no page can show an old speaker name.
Some pages change with no save at all: a scheduled post appears, a post's comments close
COMMENTS_CLOSE_AFTER_DAYS after publication. The time of the next such change is kept
beside the version and bumps it when it passes.

One cache round trip per request (`get_many` of the version, the next publication and the
page), answered before sessions, auth and CSRF run.
"""

import datetime
import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

VERSION_KEY = "pagecache:version"
NEXT_CHANGE_KEY = "pagecache:next-change"


def page_key(request):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "pagecache:page:" + hashlib.blake2s(url.encode()).hexdigest()


def new_version():
    # After an eviction the version restarts from the clock, above any earlier value.
    version = time.time_ns() // 1000
    cache.set(VERSION_KEY, version, timeout=None)
    return version


def bump_version():
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:
        version = new_version()
    cache.set(NEXT_CHANGE_KEY, next_change(), timeout=None)
    return version


def content_changed(sender, **kwargs):
    """Signal receiver: make every cached page stale, now and once the change commits."""
    bump_version()
    # A reader between now and the commit may cache the old content under the new version.
    transaction.on_commit(bump_version)


def next_change():
    """Epoch seconds of the next scheduled post or automatic comment closing, or infinity."""
    from blog.models import Post

    now = timezone.now()
    times = []
    upcoming = (
        Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming:
        times.append(upcoming.timestamp())
    if days := settings.COMMENTS_CLOSE_AFTER_DAYS:
        open_for = datetime.timedelta(days=days)
        closing = (
            Post.objects.published()
            .filter(comments_open=True, published_at__gt=now - open_for)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        if closing:
            times.append((closing + open_for).timestamp())
    return min(times, default=math.inf)


def current_version(found):
    """The version from a `get_many` answer, bumped if a timed change is due."""
    version = found.get(VERSION_KEY)
    upcoming = found.get(NEXT_CHANGE_KEY)
    if version is None:
        version = new_version()
    if upcoming is None:
        cache.set(NEXT_CHANGE_KEY, next_change(), timeout=None)
    elif upcoming <= time.time():
        version = bump_version()
    return version


def lookup(request):
    """(version, entry) where entry is the cached page if it is still current, else None."""
    key = page_key(request)
    found = cache.get_many([VERSION_KEY, NEXT_CHANGE_KEY, key])
    version = current_version(found)
    entry = found.get(key)
    if entry is not None and entry["version"] != version:
        entry = None
    return key, version, entry


def store(key, version, response):
    entry = {
        "version": version,
        "content": response.content,
        "headers": dict(response.headers),
    }
    cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
