from blog.sitemaps import SectionSitemap

from .models import Quotation, Source, Speaker


class SpeakerSitemap(SectionSitemap):
    def items(self):
        return Speaker.objects.public().only("slug").order_by("name")


class SourceSitemap(SectionSitemap):
    def items(self):
        return Source.objects.public().only("slug").order_by("pk")


class QuotationSitemap(SectionSitemap):
    def items(self):
        return Quotation.objects.public().only("pk", "modified_at").order_by("pk")

    def lastmod(self, quotation):
        return quotation.modified_at
