import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html_join

from freshness.admin import FreshnessBatchMixin
from revisions.admin import RevisionsAdminMixin
from revisions.conflicts import VersionCheckedForm

from . import duplicates
from .admin_search import IndexedQuotationSearch
from .merge import merge
from .models import Quotation, Source, Speaker

# Editors paste addresses without a scheme; https is the right guess today.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class DuplicateCheckForm(forms.ModelForm):
    """Creating a record checks for likely duplicates first: the form is refused, listing
    them with "use this one", until the editor ticks "create anyway" and fills in the field
    that tells the new record apart (`distinguishing_field`)."""

    create_anyway = forms.BooleanField(
        required=False,
        label="Not one of these: create a new record anyway",
        help_text="Two people can share a name, and a publisher can reuse a headline.",
    )
    distinguishing_field = ""
    distinguishing_help = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates = []

    def find_duplicates(self, data):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if self.instance.pk or self.errors:
            return data  # creation only, and only once the fields themselves are right
        self.duplicates = self.find_duplicates(data)
        if not self.duplicates:
            return data
        if not data.get("create_anyway"):
            raise ValidationError(
                "This looks like a record that already exists (listed above): use that one, "
                "or tick “create a new record anyway” below.",
                code="likely_duplicate",
            )
        name = self.distinguishing_field
        value = (data.get(name) or "").strip()
        if not value or any(value == getattr(d, name) for d in self.duplicates):
            self.add_error(name, self.distinguishing_help)
        return data


class SpeakerForm(DuplicateCheckForm):
    distinguishing_field = "description"
    distinguishing_help = (
        "A new speaker with the name of an existing one needs a description that tells "
        "them apart (e.g. “Russian chess player”, not the same as the other's)."
    )

    def find_duplicates(self, data):
        return duplicates.similar_speakers(data.get("name") or "")


class SourceForm(DuplicateCheckForm):
    distinguishing_field = "notes"
    distinguishing_help = (
        "A new source like an existing one needs a note that tells them apart "
        "(e.g. “the print edition, with a different headline”)."
    )

    def find_duplicates(self, data):
        return duplicates.similar_sources(
            data.get("title") or "",
            data.get("publisher") or "",
            data.get("published_on"),
            data.get("url") or "",
        )


class FinderLabels:
    """Choices of speakers, sources and excerpts labelled with what tells them apart."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(db_field.related_model, "finder_label"):
            field.label_from_instance = lambda obj: obj.finder_label()
        return field


class MarksNewInPopup:
    """A record made in a popup comes back to the opener labelled "(new)"."""

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if IS_POPUP_VAR in request.POST and hasattr(response, "context_data"):
            # The opener shows the label given here: the editor sees it is a new record.
            data = json.loads(response.context_data["popup_response_data"])
            data["obj"] = f"{obj.finder_label()} (new)"
            response.context_data["popup_response_data"] = json.dumps(data)
        return response


class DuplicatesAndMerge(MarksNewInPopup, FreshnessBatchMixin, admin.ModelAdmin):
    """Speakers and sources: likely duplicates offered at creation ("use this one"), a
    record made in a popup marked new in the form that opened it, and merging two."""

    change_form_template = "admin/quotes/duplicate_check_change_form.html"
    actions = ["merge_selected"]

    class Media:
        css = {"all": ["css/records.css"]}

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj else [*fields, "create_anyway"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj or any("create_anyway" in f[1]["fields"] for f in fieldsets):
            return fieldsets
        return [*fieldsets, ("Likely duplicates", {"fields": ["create_anyway"]})]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        use = self.admin_site.admin_view(self.use_existing)
        return [path("<int:pk>/use/", use, name=f"{info[0]}_{info[1]}_use"), *super().get_urls()]

    def use_existing(self, request, pk):
        """ "Use this one" in a popup: the opener's field gets the existing record."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=pk)
        data = {"value": str(obj.pk), "obj": obj.finder_label()}
        return TemplateResponse(
            request,
            "admin/popup_response.html",
            {"popup_response_data": json.dumps(data)},
        )

    @admin.action(description="Merge the two selected (quotations move to the one kept)")
    def merge_selected(self, request, queryset):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        records = list(queryset.order_by("pk"))
        if len(records) != 2:
            self.message_user(request, "Select exactly two to merge.", messages.ERROR)
            return None
        counts = dict(queryset.annotate(n=models.Count("quotations")).values_list("pk", "n"))
        keep = request.POST.get("keep")
        if "apply" in request.POST and keep in {str(r.pk) for r in records}:
            kept = next(r for r in records if str(r.pk) == keep)
            other = next(r for r in records if r is not kept)
            other_label, other_url = other.finder_label(), other.get_absolute_url()
            moved = merge(kept, other, request.user)
            message = (
                f"Merged {other_label} (#{other.pk}, {other_url}) into this record; "
                f"quotations moved: {', '.join(f'#{pk}' for pk in moved) or 'none'}."
            )
            self.log_change(request, kept, message)
            self.message_user(
                request,
                f"Merged into {kept.finder_label()}: {len(moved)} quotation"
                f"{'s' if len(moved) != 1 else ''} moved; the other's address now "
                "redirects here, and its pages are being updated.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Merge two {self.opts.verbose_name_plural}",
            "records": [(r, counts.get(r.pk, 0)) for r in records],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/quotes/merge.html", context)


@admin.register(Source)
class SourceAdmin(RevisionsAdminMixin, DuplicatesAndMerge):
    form = SourceForm
    change_form_template = DuplicatesAndMerge.change_form_template  # extends the revisions' one
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
class SpeakerAdmin(RevisionsAdminMixin, DuplicatesAndMerge):
    form = SpeakerForm
    change_form_template = DuplicatesAndMerge.change_form_template  # extends the revisions' one
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
    RevisionsAdminMixin,
    MarksNewInPopup,
    FinderLabels,
    IndexedQuotationSearch,
    FreshnessBatchMixin,
    admin.ModelAdmin,
):
    form = QuotationAdminForm
    list_display = ["__str__", "source", "said_on", "codes"]
    list_filter = ["needs_review", "source__kind", "source__publisher"]
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
        ("Visibility", {"fields": ["is_public", "needs_review"]}),
    ]

    def get_queryset(self, request):
        # Labels name the speaker and source and say "excerpt": the autocomplete's results
        # too, in one query.
        inner = Quotation.objects.filter(within=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .select_related("speaker", "source")
            .annotate(has_inner=Exists(inner))
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates_ = super().get_search_results(request, queryset, search_term)
        if (
            request.GET.get("model_name") == "quotation"
            and request.GET.get("field_name") == "within"
        ):
            # The "part of" finder offers only what can hold quotations (Quotation.check_part_of).
            queryset = queryset.filter(within__isnull=True)
        return queryset, duplicates_

    @admin.display(description="codes to paste")
    def codes(self, quotation):
        if not quotation.pk:
            return "Save the quotation to get its codes."
        pairs = [("block", f"[[quote:{quotation.pk}]]"), ("inline", f"[[q:{quotation.pk}]]")]
        return format_html_join(" ", '<code class="quotation-code" title="{}">{}</code>', pairs)
