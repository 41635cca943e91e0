"""The History page of an object in the admin: its revisions, a diff between any two, and
restore. One view (`revisions_page`) for every model with `history`; ModelAdmins get it as
their History page with `RevisionsAdminMixin`, and the post admin also for its updates."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

import freshness

from . import conflicts, diff

# A page lists this many revisions, newest first (older ones stay in the table).
SHOWN = 200


def revision_label(record):
    who = record.history_user.get_username() if record.history_user else "(unknown)"
    when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M:%S")
    return f"{when} by {who}"


def restore(obj, record, user):
    """Put the editor fields of revision `record` back on `obj` and save it: a new revision,
    reported to freshness/ like any save, so every page showing it renders again."""
    for field in diff.editor_fields(type(obj)):
        setattr(obj, field.attname, getattr(record, field.attname))
    obj._change_reason = f"Restored the revision of {revision_label(record)}"
    obj._history_user = user
    with transaction.atomic(using=router.db_for_write(type(obj))), freshness.batch():
        obj.save()


def revisions_page(request, model_admin, obj, *, title, back_url, owner=None):
    """GET: the revisions and the diff of ?old=&new= (the two newest by default).
    POST restore=<revision id>: restore it (needs the change permission of `owner`, the
    object `model_admin` edits, when obj is part of it like an update of a post)."""
    can_restore = model_admin.has_change_permission(request, owner or obj)
    records = list(obj.history.select_related("history_user").order_by("-history_id")[:SHOWN])
    by_id = {str(r.history_id): r for r in records}
    if request.method == "POST":
        if not can_restore:
            raise PermissionDenied
        record = by_id.get(request.POST.get("restore", ""))
        if record is None:
            raise Http404("No such revision.")
        restore(obj, record, request.user)
        messages.success(request, f"Restored the revision of {revision_label(record)}.")
        return redirect(request.path)
    new = by_id.get(request.GET.get("new", "")) or (records[0] if records else None)
    old = by_id.get(request.GET.get("old", "")) or (records[1] if len(records) > 1 else None)
    fields = diff.editor_fields(type(obj))
    rows = diff.changes(old, new, fields) if old and new else []
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "object": obj,
        "edited": owner or obj,  # what the breadcrumbs lead back to
        "title": title,
        "back_url": back_url,
        "revisions": [(r, revision_label(r)) for r in records],
        "old": old,
        "new": new,
        "rows": rows,
        "can_restore": can_restore,
    }
    return TemplateResponse(request, "revisions/history.html", context)


class RevisionsAdminMixin:
    """The admin's History page of the object shows its revisions (instead of the log).
    With a VersionCheckedForm the change form also refuses conflicting saves and warns
    when someone saves while it is open (revisions/conflicts.py)."""

    change_form_template = "revisions/change_form.html"

    def get_urls(self):
        opts = self.model._meta
        version = self.admin_site.admin_view(self.version_view)
        name = f"{opts.app_label}_{opts.model_name}_version"
        return [path("<path:object_id>/version/", version, name=name), *super().get_urls()]

    def version_view(self, request, object_id):
        """The stored version, and who saved it when: what saved-meanwhile.js compares."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such object.")
        latest = obj.history.select_related("history_user").order_by("-history_id").first()
        who, when = conflicts.who_and_when(latest)
        return JsonResponse({"version": conflicts.version_of(obj), "by": who, "at": when})

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such object.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        back = request.build_absolute_uri("../change/")
        return revisions_page(request, self, obj, title=f"Revisions of {obj}", back_url=back)
