"""The import page: upload an export, read the dry run's summary, then import it.

The upload is kept in a private temporary folder between the two steps, under a random
name remembered in the editor's session. Imports in the admin are capped in size
(TRANSFER_UPLOAD_MAX_BYTES); larger exports go through `manage.py importblog`."""

import re
import tempfile
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .imports import import_file
from .models import ImportedItem
from .read import ImportFailed

UPLOADS = Path(tempfile.gettempdir()) / "blog-imports"
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def max_bytes():
    return getattr(settings, "TRANSFER_UPLOAD_MAX_BYTES", 50 * 1024 * 1024)


class UploadForm(forms.Form):
    export = forms.FileField(
        label="Export file",
        help_text="A Blogger backup (.xml), a WordPress export (WXR .xml) or this blog's own "
        "JSON export. Nothing is written until you confirm the summary.",
    )

    def clean_export(self):
        upload = self.cleaned_data["export"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                f"The file is {upload.size // 1048576} MB; the admin takes up to "
                f"{max_bytes() // 1048576} MB. Import larger exports with "
                "`manage.py importblog FILE`."
            )
        return upload


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "key", "imported_at"]
    list_filter = ["kind"]
    search_fields = ["key"]
    ordering = ["-pk"]
    change_list_template = "admin/transfer/importeditem/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="transfer_import"), *super().get_urls()]

    def import_view(self, request):
        if not request.user.has_perm("transfer.import_blog"):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": "Import a blog",
                   "opts": self.model._meta, "form": UploadForm()}  # fmt: skip
        if request.method == "POST" and "confirm" in request.POST:
            return self.confirm(request, context)
        if request.method == "POST":
            context["form"] = form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                self.check_upload(request, form.cleaned_data["export"], context)
        return TemplateResponse(request, "admin/transfer/import.html", context)

    def check_upload(self, request, upload, context):
        UPLOADS.mkdir(mode=0o700, exist_ok=True)
        token = uuid.uuid4().hex
        with open(UPLOADS / token, "wb") as saved:
            for chunk in upload.chunks():
                saved.write(chunk)
        try:
            with open(UPLOADS / token, "rb") as saved:
                label, context["summary"] = import_file(saved, dry_run=True)
        except ImportFailed as error:
            (UPLOADS / token).unlink(missing_ok=True)
            context["error"] = str(error)
            return
        request.session["transfer_upload"] = token
        context.update(token=token, label=label, filename=upload.name)

    def confirm(self, request, context):
        token = request.POST.get("confirm", "")
        if not TOKEN.match(token) or request.session.get("transfer_upload") != token:
            context["error"] = "That upload has expired: choose the file again."
            return TemplateResponse(request, "admin/transfer/import.html", context)
        file = UPLOADS / token
        try:
            with open(file, "rb") as saved:
                label, report = import_file(saved)
        except (ImportFailed, OSError) as error:
            context["error"] = str(error)
            return TemplateResponse(request, "admin/transfer/import.html", context)
        finally:
            file.unlink(missing_ok=True)
            request.session.pop("transfer_upload", None)
        lines = [line.strip() for line in report.splitlines()[1:]]  # after "Imported:"
        self.message_user(request, f"{label} imported: {'; '.join(lines)}.")
        return redirect(reverse("admin:transfer_importeditem_changelist"))
