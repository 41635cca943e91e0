import gzip
import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from . import pagecache

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # The admin sets inline style attributes; scripts stay strictly same-origin.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class PageCacheMiddleware:
    """Serve anonymous GETs of public pages from the shared cache; see ops/pagecache.py."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PAGE_CACHE_ENABLED
        self.skipped_prefixes = tuple(
            "/" + prefix.lstrip("/")
            for prefix in ["admin/", "markdownx/", "healthz", "bench/", settings.STATIC_URL]
        )
        # A reader with any of these cookies may see something personal: never share it.
        self.private_cookies = {settings.SESSION_COOKIE_NAME, *settings.PAGE_CACHE_PRIVATE_COOKIES}

    def __call__(self, request):
        if not self.is_cacheable_request(request):
            return self.get_response(request)
        if not pagecache.health.up:
            return self.uncached(request, "off")
        key = pagecache.page_key(request)
        try:
            entry, stamp, state = pagecache.lookup(request, key)
        except Exception as error:  # the cache is a performance layer: go on without it
            pagecache.health.failed(error, "lookup")
            return self.uncached(request, "off")
        if state in {"hit", "stale"}:
            return self.replay(request, entry, state)
        response = self.get_response(request)
        keys = getattr(response, "page_keys", None)
        if keys and self.is_cacheable_response(response):
            digest = hashlib.blake2s(response.content, digest_size=8).hexdigest()
            response.headers["ETag"] = f'"{digest}"'
            response.headers["Last-Modified"] = http_date()
            response.headers.setdefault("Cache-Control", settings.PAGE_CACHE_CONTROL)
            # What a CDN or Varnish in front purges by (docs/operations.md).
            response.headers["Surrogate-Key"] = " ".join(sorted(keys))
            response.headers["Cache-Tag"] = ",".join(sorted(keys))
            try:
                pagecache.store(key, stamp, response, keys)
            except Exception as error:
                pagecache.health.failed(error, "store")
            response.headers["X-Page-Cache"] = "miss"
        elif entry is not None:
            # The purged page is gone or private now (a 404 once unpublished): nobody may
            # get the old copy any more.
            try:
                pagecache.forget(key)
            except Exception as error:
                pagecache.health.failed(error, "forget")
        return response

    def uncached(self, request, state):
        response = self.get_response(request)
        if getattr(response, "page_keys", None):
            response.headers["X-Page-Cache"] = state
        return response

    def is_cacheable_request(self, request):
        return (
            self.enabled
            and request.method == "GET"
            and not request.path.startswith(self.skipped_prefixes)
            and "HTTP_AUTHORIZATION" not in request.META
            and not self.private_cookies.intersection(request.COOKIES)
            # Plain HTTP that SecurityMiddleware will redirect to HTTPS gets its redirect.
            and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
        )

    @staticmethod
    def is_cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Cookie" not in response.get("Vary", "")
            and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
        )

    @staticmethod
    def replay(request, entry, state):
        headers = dict(entry["headers"])
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            content = entry["content"]  # served as stored
            headers["Content-Encoding"] = "gzip"
        else:
            content = gzip.decompress(entry["content"])
        headers["Content-Length"] = str(len(content))
        headers["Vary"] = ", ".join(filter(None, [headers.get("Vary"), "Accept-Encoding"]))
        response = HttpResponse(content, headers=headers)
        response.headers["X-Page-Cache"] = state
        return get_conditional_response(
            request,
            etag=headers.get("ETag"),
            last_modified=parse_http_date_safe(headers.get("Last-Modified", "")),
            response=response,
        )
