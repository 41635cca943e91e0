from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from blog.page_preview import page_preview
from blog.sitemaps import (
    PagesSitemap,
    PostSitemap,
    QuotationSitemap,
    SourceSitemap,
    SpeakerSitemap,
    TagSitemap,
)
from blog.sitemaps import index as sitemap_index
from blog.sitemaps import section as sitemap_section
from ops import accounts
from ops.media import media_urls
from ops.pagecache import tag as page_shows
from quotes import finder
from quotes.editor import editors_only, markdownx_urls

sitemaps = {
    "pages": PagesSitemap,
    "posts": PostSitemap,
    "tags": TagSitemap,
    "speakers": SpeakerSitemap,
    "sources": SourceSitemap,
    "quotations": QuotationSitemap,
}

SITEMAP_SHOWS = ["posts", "tags", "speakers", "sources", "quotations"]


def shows(view, *keys):
    """`view` with its pages cached, purged by `keys` (see ops/pagecache.py)."""

    def tagged(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        return page_shows(response, *keys)

    return tagged


handler500 = "ops.views.server_error"

urlpatterns = [
    path("admin/", include(accounts.urlpatterns)),  # password reset, before the admin's own
    # The admin's autocomplete, its lines telling records apart (quotes/finder.py); named
    # as Django names it (quotes/admin_search.py pages the finder by that name).
    path("admin/autocomplete/", finder.autocomplete, name="autocomplete"),
    path("admin/", admin.site.urls),
    path("markdownx/page-preview/", editors_only(page_preview), name="page_preview"),
    path("markdownx/", include(markdownx_urls)),
    # An index of sections, each paged (?p=): past Sitemap.limit nothing is dropped.
    path(
        "sitemap.xml",
        shows(sitemap_index, *SITEMAP_SHOWS),
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        shows(sitemap_section, *SITEMAP_SHOWS),
        {"sitemaps": sitemaps},
        name="sitemap_section",
    ),
    path(
        "robots.txt",
        shows(
            TemplateView.as_view(
                template_name="robots.txt", content_type="text/plain; charset=utf-8"
            ),
            "all",
        ),
        name="robots",
    ),
    path("", include("ops.urls")),
    path("", include("integrity.urls")),
    path("", include("blog.quotation_urls")),
    path("", include("blog.urls")),
]

urlpatterns += media_urls()

if settings.BENCHMARK_URLS:
    urlpatterns += [path("", include("bench.urls"))]
