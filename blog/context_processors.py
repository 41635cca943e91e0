from django.conf import settings


def site_url(request):
    """The public address without a trailing slash: SITE_URL, else the request's own host."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def blog(request):
    return {
        "blog_title": settings.BLOG_TITLE,
        "blog_tagline": settings.BLOG_TAGLINE,
        # Lazy: only pages that print an absolute address pay for it.
        "site_url": lambda: site_url(request),
    }
