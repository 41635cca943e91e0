"""Uploaded media, served in development with the headers production must also send.

Uploads are images re-encoded by quotes/uploads.py, but a file on the site's own origin
that a browser could be talked into reading as HTML would run with the admins' cookies.
So media answers carry `X-Content-Type-Options: nosniff` (the browser keeps the image
type) and a CSP with `sandbox` (even a document opened from there gets an opaque origin
and no scripts). In production media comes from nginx or a separate origin (MEDIA_URL),
configured with the same headers: docs/operations.md.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; "
    "style-src 'unsafe-inline'",
}


def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    for name, value in MEDIA_HEADERS.items():
        response.headers[name] = value
    return response


def media_urls():
    """Development serving of MEDIA_ROOT at a local MEDIA_URL; nothing in production."""
    url = settings.MEDIA_URL
    if settings.PRODUCTION or urlsplit(url).netloc:
        return []
    prefix = re.escape(url.strip("/"))
    return [re_path(rf"^{prefix}/(?P<path>.*)$", serve_media, name="media")]
