"""Making snapshots: from a fetch, or from what an editor pasted or uploaded.

Main text is extracted with trafilatura (docs/decisions.md, "Source snapshots"): it keeps
the article's paragraphs and drops navigation, footers and scripts. A page too small for its
heuristics falls back to all of the page's text. Only HTML is parsed as HTML; plain text is
kept as it is and other types (PDF, images) keep their bytes with no text.
"""

from django.utils import timezone

from .models import Snapshot, is_html_type


def extract_text(document, content_type):
    """The main text of a document, paragraphs separated by blank lines."""
    kind = content_type.split(";")[0].strip().lower()
    if is_html_type(content_type):
        import trafilatura

        html = decode(document, content_type)
        text = trafilatura.extract(html, favor_recall=True, include_comments=False)
        if not text:
            text = trafilatura.html2txt(html)
        return (text or "").strip()
    if kind.startswith("text/"):
        return decode(document, content_type).strip()
    return ""


def decode(document, content_type):
    charset = "utf-8"
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip('"').lower()
    try:
        return document.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return document.decode("utf-8", errors="replace")


def build(source, document, content_type, **fields):
    """An unsaved Snapshot of `document` (bytes) for `source`."""
    sha256, size, raw = Snapshot.pack(document)
    fields.setdefault("taken_at", timezone.now())
    return Snapshot(
        source=source,
        content_type=content_type[:200],
        sha256=sha256,
        size=size,
        raw=raw,
        text=extract_text(document, content_type),
        **fields,
    )


def from_fetch(source, fetched, reference=True):
    return build(
        source,
        fetched.body,
        fetched.content_type,
        origin=Snapshot.Origin.FETCHED,
        http_status=fetched.status,
        final_url=fetched.final_url[:2000],
        truncated=fetched.truncated,
        reference=reference,
    )


def from_editor(source, user, text="", upload=None, note=""):
    """A snapshot an editor pasted (text) or uploaded (a file); saved."""
    if upload is not None:
        document = upload.read()
        content_type = upload.content_type or "application/octet-stream"
        origin = Snapshot.Origin.UPLOADED
    else:
        document = text.encode("utf-8")
        content_type = "text/plain; charset=utf-8"
        origin = Snapshot.Origin.PASTED
    snapshot = build(source, document, content_type, origin=origin, added_by=user, note=note)
    snapshot.save()
    return snapshot
