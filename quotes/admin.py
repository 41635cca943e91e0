from django.contrib import admin
from django.db import models
from django.utils.html import format_html_join

from freshness.admin import FreshnessBatchMixin
from revisions.admin import RevisionsAdminMixin
from revisions.conflicts import VersionCheckedForm

from .admin_search import IndexedQuotationSearch
from .models import Quotation, Source, Speaker

# Editors paste addresses without a scheme; https is the right guess today.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Source)
class SourceAdmin(RevisionsAdminMixin, FreshnessBatchMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "publisher", "author", "kind", "published_on"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "publisher", "author", "url"]
    date_hierarchy = "published_on"
    fieldsets = [
        (None, {"fields": ["title", "publisher", "author", "kind", "published_on", "url"]}),
        ("Record", {"fields": ["archived_url", "accessed_on", "slug", "notes"]}),
        ("Visibility", {"fields": ["is_public"]}),
    ]


@admin.register(Speaker)
class SpeakerAdmin(RevisionsAdminMixin, FreshnessBatchMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "description"]
    search_fields = ["name", "description"]
    fields = ["name", "description", "url", "slug", "is_public"]


class QuotationAdminForm(VersionCheckedForm):
    class Meta:
        model = Quotation
        fields = "__all__"


@admin.register(Quotation)
class QuotationAdmin(
    RevisionsAdminMixin, IndexedQuotationSearch, FreshnessBatchMixin, admin.ModelAdmin
):
    form = QuotationAdminForm
    list_display = ["__str__", "source", "said_on", "codes"]
    list_filter = ["source__kind", "source__publisher"]
    list_select_related = ["speaker", "source"]
    # Shown as the search box's hint; the search itself is IndexedQuotationSearch's.
    search_fields = [
        "text",
        "speaker__name",
        "anonymous_description",
        "source__title",
        "source__publisher",
    ]
    autocomplete_fields = ["speaker", "source", "within"]
    readonly_fields = ["codes"]
    fieldsets = [
        (None, {"fields": ["text", "source", "speaker", "based_on"]}),
        (
            "Anonymous speaker",
            {
                "fields": ["anonymous_description", "anonymity_reason"],
                "description": "For a speaker the source does not name. Leave the speaker "
                "empty. With neither, the words are the source's own.",
            },
        ),
        ("Where and when", {"fields": ["context", "said_on", "locator", "translation_note"]}),
        ("Excerpt", {"fields": ["within", "codes"]}),
        ("Visibility", {"fields": ["is_public"]}),
    ]

    def get_queryset(self, request):
        # Labels name the speaker and source: the autocomplete's results too, in one query.
        return super().get_queryset(request).select_related("speaker", "source")

    @admin.display(description="codes to paste")
    def codes(self, quotation):
        if not quotation.pk:
            return "Save the quotation to get its codes."
        pairs = [("block", f"[[quote:{quotation.pk}]]"), ("inline", f"[[q:{quotation.pk}]]")]
        return format_html_join(" ", '<code class="quotation-code" title="{}">{}</code>', pairs)
