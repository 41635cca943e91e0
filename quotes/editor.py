"""The markdownx endpoints, for users who may change posts (markdownx's own urls are open)."""

from functools import wraps

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.urls import path
from django.utils.html import format_html
from markdownx.views import MarkdownifyView

from . import markup
from .uploads import ImageUploadView

# The editor's tools serve whoever writes posts; moderators (comments only) are refused.
EDITOR_PERMISSION = "blog.change_post"


class PreviewView(MarkdownifyView):
    def post(self, request, *args, **kwargs):
        if "content" not in request.POST:
            return HttpResponseBadRequest("Nothing to preview: the request has no content.")
        try:
            return HttpResponse(markup.render_markdown(request.POST["content"], limited=True))
        except markup.MarkupError as error:
            # markdownx shows a 200 answer in the preview pane, and only logs anything else.
            return HttpResponse(format_html('<p class="markup-error">{}</p>', error))


def editors_only(view):
    """403 for anyone who may not change posts: the editor's scripts expect an answer."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_staff and user.has_perm(EDITOR_PERMISSION)):
            return HttpResponseForbidden("Previews and uploads are for editors of posts only.")
        return view(request, *args, **kwargs)

    return guarded


markdownx_urls = [
    path("markdownify/", editors_only(PreviewView.as_view()), name="markdownx_markdownify"),
    path("upload/", editors_only(ImageUploadView.as_view()), name="markdownx_upload"),
]
