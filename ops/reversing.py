"""reverse() remembered: an address depends only on the view, its arguments, the script
prefix and the URLconf, so each is worked out once per process.

A post renders some sixty links (its quotations' speakers, sources and pages, its tags,
in the page and its JSON-LD) and a list page dozens; reverse() walks the URL patterns each
time (~25 µs), which was a sixth of rendering a post.
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse


def reverse_cached(viewname, *args):
    return _reverse(viewname, args, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=100_000)
def _reverse(viewname, args, prefix, urlconf):
    return reverse(viewname, args=args, urlconf=urlconf)
