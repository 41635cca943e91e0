"""A shared page cache for anonymous readers, correct across many app servers.

Every cached page is stored with the content version it was rendered at. Any change to
what public pages show (a post, update, tag, quotation, speaker or source) bumps the
version in the shared cache, so every page on every server is stale at once: coarse, but
a blog changes rarely and is read often, and no page can show an old speaker name.
A scheduled post needs no save to appear, so the time of the next scheduled publication is
kept beside the version and bumps it when it passes.

One cache round trip per request (`get_many` of the version, the next publication and the
page), answered before sessions, auth and CSRF run.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

VERSION_KEY = "pagecache:version"
NEXT_PUBLICATION_KEY = "pagecache:next-publication"


def page_key(request):
    url = f"{request.get_host()}{request.get_full_path()}"
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
    cache.set(NEXT_PUBLICATION_KEY, next_publication(), timeout=None)
    return version


def content_changed(sender, **kwargs):
    """Signal receiver: make every cached page stale, now and once the change commits."""
    bump_version()
    # A reader between now and the commit may cache the old content under the new version.
    transaction.on_commit(bump_version)


def next_publication():
    """Epoch seconds of the next scheduled post, or infinity."""
    from blog.models import Post

    upcoming = (
        Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return upcoming.timestamp() if upcoming else math.inf


def current_version(found):
    """The version from a `get_many` answer, bumped if a scheduled post's time has come."""
    version = found.get(VERSION_KEY)
    upcoming = found.get(NEXT_PUBLICATION_KEY)
    if version is None:
        version = new_version()
    if upcoming is None:
        cache.set(NEXT_PUBLICATION_KEY, next_publication(), timeout=None)
    elif upcoming <= time.time():
        version = bump_version()
    return version


def lookup(request):
    """(version, entry) where entry is the cached page if it is still current, else None."""
    key = page_key(request)
    found = cache.get_many([VERSION_KEY, NEXT_PUBLICATION_KEY, key])
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
