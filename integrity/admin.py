"""Editors' side: snapshots on the source's page (fetched, pasted or uploaded), the check on
the quotation's page and in its list, and the list of sources by link state.

The Source and Quotation admins of quotes/ are extended here (registered again as
subclasses), so quotes/ stays unaware of snapshots.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from quotes.admin import QuotationAdmin, SourceAdmin, SourceForm
from quotes.models import Quotation, Source

from . import links, snapshots, tasks, verify
from .models import Check, Snapshot, SourceWatch, Verification

# Verifying more quotations than this after a paste is left to the worker.
VERIFIED_IN_REQUEST = 200
CONTEXT_CHARS = 300


class SourceSnapshotForm(SourceForm):  # the duplicate check of a new source, too
    paste_text = forms.CharField(
        label="paste the source's text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="For a paywalled or printed source: paste the passage or article as "
        "published. Saving adds a snapshot the quotations are checked against.",
    )
    upload = forms.FileField(
        label="or upload a copy",
        required=False,
        help_text="An HTML page, a text file or a PDF as saved from the source.",
    )
    snapshot_note = forms.CharField(
        label="where the copy comes from",
        required=False,
        max_length=300,
        help_text="E.g. “print edition, page A1” or “pasted from the subscriber page”.",
    )

    # No Meta: the admin builds the form's Meta from its fieldsets.

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("paste_text", "").strip() and cleaned.get("upload"):
            raise forms.ValidationError("Paste the text or upload a file, not both.")
        return cleaned


class SnapshotInline(admin.TabularInline):
    model = Snapshot
    fields = ["taken_at", "origin", "http_status", "content_type", "size", "reference", "copy"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ["-taken_at", "-pk"]
    verbose_name_plural = "snapshots (never edited: a new one is added)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("raw", "text")

    @admin.display(description="copy")
    def copy(self, snapshot):
        return format_html('<a href="{}">view</a>', snapshot.get_absolute_url())


class CheckInline(admin.TabularInline):
    model = Check
    fields = ["checked_at", "state", "outcome", "http_status", "final_url", "detail"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "link checks (newest first)"

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-checked_at", "-pk")


admin.site.unregister(Source)


@admin.register(Source)
class CheckedSourceAdmin(SourceAdmin):
    form = SourceSnapshotForm
    inlines = [SnapshotInline, CheckInline]
    actions = [*SourceAdmin.actions, "fetch_now"]  # merging, too
    fieldsets = [
        *SourceAdmin.fieldsets,
        (
            "Add a snapshot",
            {"fields": ["paste_text", "upload", "snapshot_note"], "classes": ["collapse"]},
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        text, upload = form.cleaned_data.get("paste_text", ""), form.cleaned_data.get("upload")
        if not (text.strip() or upload):
            return
        note = form.cleaned_data.get("snapshot_note", "")
        snapshot = snapshots.from_editor(form.instance, request.user, text, upload, note)
        if form.instance.quotations.count() <= VERIFIED_IN_REQUEST:
            counts = verify.verify_source(form.instance.pk, snapshot, render_now=True)
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            messages.info(request, f"Snapshot added; quotations checked: {summary or 'none'}.")
        else:
            tasks.verify_source.enqueue(form.instance.pk)
            messages.info(request, "Snapshot added; its quotations are being checked.")

    @admin.action(description="Fetch and check the selected sources now (in the background)")
    def fetch_now(self, request, queryset):
        ids = list(queryset.exclude(url="").values_list("pk", flat=True)[:500])
        for pk in ids:
            tasks.fetch_source.enqueue(pk)
        self.message_user(request, f"{len(ids)} source(s) will be fetched shortly.")


class CheckFilter(admin.SimpleListFilter):
    title = "source check"
    parameter_name = "check"

    def lookups(self, request, model_admin):
        return [
            ("unverified", "Not verified"),
            ("differs", "Differs"),
            ("not_found", "Not found"),
            ("found", "Found"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "unverified":
            return queryset.filter(verification__isnull=True)
        if value == "differs":
            return queryset.filter(verification__status=Verification.Status.CLOSE)
        if value == "not_found":
            return queryset.filter(verification__status=Verification.Status.NOT_FOUND)
        if value == "found":
            return queryset.filter(verification__status__in=Verification.FOUND)
        return queryset


admin.site.unregister(Quotation)


@admin.register(Quotation)
class CheckedQuotationAdmin(QuotationAdmin):
    list_display = [*QuotationAdmin.list_display, "check_status"]
    list_filter = [CheckFilter, *QuotationAdmin.list_filter]
    list_select_related = [*QuotationAdmin.list_select_related, "verification"]
    readonly_fields = [*QuotationAdmin.readonly_fields, "source_check"]
    fieldsets = [
        *QuotationAdmin.fieldsets[:1],
        ("Checked against the source", {"fields": ["source_check"]}),
        *QuotationAdmin.fieldsets[1:],
    ]

    class Media:
        css = {"all": ["css/quotations.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("verification")

    @admin.display(description="source check", ordering="verification__status")
    def check_status(self, quotation):
        verification = getattr(quotation, "verification", None)
        return verification.get_status_display() if verification else "Not verified"

    @admin.display(description="in the source")
    def source_check(self, quotation):
        verification = links.verification_of(quotation)  # loaded with the quotation
        if verification is None:
            return "Not verified: the source has no snapshot yet (fetch it, or paste its text "
            "on the source's page)."
        text = Snapshot.objects.filter(pk=verification.snapshot_id).values_list("text", flat=True)
        return passage(verification, text.first() or "")


def passage(verification, text):
    """The status, and the source's passage with the quotation's words highlighted."""
    head = format_html(
        '<p><strong class="check-{}">{}</strong> (similarity {}), against <a href="{}">the '
        "copy taken {}</a>.</p>",
        verification.status,
        verification.get_status_display(),
        f"{verification.score:.0f}",
        links.archived_url(verification),  # no query for the (large) snapshot row
        f"{verification.snapshot_taken_at:%Y-%m-%d %H:%M}",
    )
    if verification.start is None:
        return head
    start, end = verification.start, verification.end
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    found = marked(text[start:end], [source for _, source in verification.differences])
    shown = format_html(
        '<blockquote class="source-passage">…{}<mark>{}</mark>{}…</blockquote>',
        before,
        found,
        after,
    )
    differences = [difference(quoted, source) for quoted, source in verification.differences]
    if not differences:
        return head + shown
    listed = format_html_join("", "<li>{}</li>", ((line,) for line in differences))
    return head + shown + format_html('<ul class="source-differences">{}</ul>', listed)


def marked(passage, differing):
    """The passage with the source's differing words in <ins>, in order."""
    parts, position = [], 0
    for words in differing:
        at = passage.find(words, position) if words else -1
        if at < 0:
            continue
        parts.append(format_html("{}<ins>{}</ins>", passage[position:at], words))
        position = at + len(words)
    parts.append(format_html("{}", passage[position:]))
    return format_html_join("", "{}", ((part,) for part in parts))


def difference(quoted, source):
    """One difference, in words: what the quotation has, what the source has."""
    if not quoted:
        return format_html("the source has <ins>{}</ins>, left out of the quotation", source)
    if not source:
        return format_html("quoted <del>{}</del>, not in the source", quoted)
    return format_html("quoted <del>{}</del>, the source has <ins>{}</ins>", quoted, source)


@admin.register(SourceWatch)
class SourceWatchAdmin(admin.ModelAdmin):
    """Sources by link state: what went missing, moved or changed, and since when."""

    list_display = ["source", "state", "state_since", "last_checked_at", "next_check_at"]
    list_filter = ["state"]
    list_select_related = ["source"]
    search_fields = ["source__title", "source__publisher", "source__url"]
    ordering = ["state", "-state_since"]
    readonly_fields = ["source", "state", "state_since", "last_checked_at", "streak"]
    fields = [*readonly_fields, "next_check_at"]

    def has_add_permission(self, request):
        return False
