from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from blog.sitemaps import PagesSitemap, PostSitemap, TagSitemap
from ops import accounts
from ops.media import media_urls
from quotes.editor import markdownx_urls
from quotes.sitemaps import QuotationSitemap, SourceSitemap, SpeakerSitemap

sitemaps = {
    "pages": PagesSitemap,
    "posts": PostSitemap,
    "tags": TagSitemap,
    "speakers": SpeakerSitemap,
    "sources": SourceSitemap,
    "quotations": QuotationSitemap,
}

urlpatterns = [
    path("admin/", include(accounts.urlpatterns)),  # password reset, before the admin's own
    path("admin/", admin.site.urls),
    path("markdownx/", include(markdownx_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    path("", include("ops.urls")),
    path("", include("quotes.urls")),
    path("", include("blog.urls")),
]

urlpatterns += media_urls()

if settings.BENCHMARK_URLS:
    urlpatterns += [path("", include("bench.urls"))]
