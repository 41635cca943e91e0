"""Fixed-window attempt counters in the shared cache, so a limit holds across app servers."""

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured


def parse_limit(value, name):
    """'5/600' -> (5, 600): attempts per seconds."""
    try:
        count, seconds = (int(part) for part in value.split("/"))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{name} must look like '5/600' (attempts per seconds), not {value!r}."
        ) from error
    return count, seconds


def count_attempt(key, seconds):
    """Count one attempt under `key`; the number of attempts in the current window."""
    cache.add(key, 0, seconds)  # a fixed window that starts with the first attempt
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1
