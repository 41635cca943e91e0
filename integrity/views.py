"""Our archived copy of a source: its extracted text on a page of ours, and the document
as received on a path of its own, sandboxed (no scripts, no forms, an opaque origin)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from ops.pagecache import tag as page_shows
from quotes.models import Source
from quotes.visibility import is_preview, render_page

from .models import Snapshot

# The stored document may hold anything a page can: it runs nothing and loads nothing.
SANDBOX_POLICY = (
    "sandbox; default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; "
    "img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def snapshot_for(request, pk, leave_out="raw"):
    """The snapshot (without the big column this page does not show), its source, and
    whether the reader previews a source not yet public."""
    snapshot = get_object_or_404(Snapshot.objects.defer(leave_out), pk=pk)
    source = get_object_or_404(Source.objects.with_public_state(), pk=snapshot.source_id)
    preview = is_preview(request, source, "quotes.change_source")
    return snapshot, source, preview


def archived(request, pk):
    snapshot, source, preview = snapshot_for(request, pk)
    paragraphs = [part for part in snapshot.text.split("\n") if part.strip()]
    context = {"snapshot": snapshot, "source": source, "paragraphs": paragraphs}
    response = render_page(request, "integrity/archived.html", context, preview)
    return page_shows(response, f"source:{source.pk}")


def archived_original(request, pk):
    snapshot, source, preview = snapshot_for(request, pk, leave_out="text")
    document = snapshot.document
    content_type = snapshot.content_type or "application/octet-stream"
    response = HttpResponse(document, content_type=content_type)
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    if not (snapshot.is_html or content_type.startswith("text/")):
        response["Content-Disposition"] = f'attachment; filename="snapshot-{snapshot.pk}"'
    if preview:
        response["Cache-Control"] = "private, no-store"
        return response
    return page_shows(response, f"source:{source.pk}")
