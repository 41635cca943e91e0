from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from quotes.editor import markdownx_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include(markdownx_urls)),
    path("", include("ops.urls")),
    path("", include("quotes.urls")),
    path("", include("blog.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
