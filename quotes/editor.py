"""The markdownx endpoints, for staff only (markdownx's own urls are open to anyone)."""

from functools import wraps

from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.urls import path
from markdownx.views import ImageUploadView, MarkdownifyView


class StaffMarkdownifyView(MarkdownifyView):
    def post(self, request, *args, **kwargs):
        if "content" not in request.POST:
            return HttpResponseBadRequest("Nothing to preview: the request has no content.")
        return super().post(request, *args, **kwargs)


def staff_only(view):
    """403 for anyone but active staff: the editor's scripts expect an answer, not a login page."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            return HttpResponseForbidden("Previews and uploads are for staff only.")
        return view(request, *args, **kwargs)

    return guarded


markdownx_urls = [
    path("markdownify/", staff_only(StaffMarkdownifyView.as_view()), name="markdownx_markdownify"),
    path("upload/", staff_only(ImageUploadView.as_view()), name="markdownx_upload"),
]
