from django.contrib.sitemaps import Sitemap

from .models import Quotation, Source, Speaker


class SpeakerSitemap(Sitemap):
    def items(self):
        return Speaker.objects.public().only("slug").order_by("name")


class SourceSitemap(Sitemap):
    def items(self):
        return Source.objects.public().only("slug").order_by("pk")


class QuotationSitemap(Sitemap):
    def items(self):
        return Quotation.objects.public().only("pk", "modified_at").order_by("pk")

    def lastmod(self, quotation):
        return quotation.modified_at
