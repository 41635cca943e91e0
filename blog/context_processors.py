from functools import cache

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse


def site_url(request):
    """The public address without a trailing slash: SITE_URL, else the request's own host."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


@cache
def site_links():
    """The page shell's addresses: the same for every request, so worked out once."""
    names = ["blog:index", "blog:feed_atom", "blog:feed_rss", "blog:tags", "blog:search",
             "blog:archive",
             "quotes:speakers", "quotes:sources"]  # fmt: skip
    links = {name.split(":")[1]: reverse(name) for name in names}
    for name in ["css/site.css", "css/quotations.css", "img/favicon.svg"]:
        links[name.split("/")[1].replace(".", "_")] = static(name)
    return links


def blog(request):
    return {
        "blog_title": settings.BLOG_TITLE,
        "blog_tagline": settings.BLOG_TAGLINE,
        "links": site_links(),
        # Lazy: only pages that print an absolute address pay for it.
        "site_url": lambda: site_url(request),
    }
