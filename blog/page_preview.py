"""The post editor's page preview: the post as its public page will show it (title,
byline, updates, body and the sources list), rendered from the form as typed, saving
nothing. The same pipeline and templates as blog/rendering.py, on unsaved objects."""

from django.contrib.auth import get_user_model
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html

from quotes import markup

from .models import Post, Update
from .rendering import cited_quotations, embedded_quotations, join_updates

MAX_UPDATES = 50


def page_preview(request):
    """POST: title, body, author (id), published_at, and updates-N-{body,kind,placement,
    timestamp} as the admin's form names them. Answers the article's HTML."""
    if request.method != "POST":
        return HttpResponseBadRequest("POST the post form's fields.")
    data = request.POST
    post = Post(
        title=data.get("title", ""),
        slug="preview",
        body=data.get("body", ""),
        published_at=local_moment(data.get("published_at")),
        author=preview_author(request, data.get("author")),
    )
    updates = []
    for n in range(min(int_or_zero(data.get("updates-TOTAL_FORMS")), MAX_UPDATES)):
        prefix = f"updates-{n}-"
        if data.get(f"{prefix}DELETE") or not data.get(f"{prefix}body", "").strip():
            continue
        updates.append(
            Update(
                pk=n + 1,  # for the anchors only: nothing is saved
                body=data[f"{prefix}body"],
                kind=data.get(f"{prefix}kind") or Update.Kind.UPDATE,
                placement=data.get(f"{prefix}placement") or Update.Placement.APPENDED,
                timestamp=local_moment(data.get(f"{prefix}timestamp")),
            )
        )
    try:
        codes = markup.quotation_ids("\n".join([post.body, *(u.body for u in updates)]))
        quotations = embedded_quotations(codes)
        post.body_html = markup.render_markdown(post.body, quotations=quotations, limited=True)
        for update in updates:
            update.body_html = markup.render_markdown(
                update.body, quotations=quotations, limited=True
            )
    except markup.MarkupError as error:
        return HttpResponse(format_html('<p class="markup-error">{}</p>', error))
    post.updates_top_html = join_updates(u for u in updates if u.is_on_top)
    post.updates_appended_html = join_updates(u for u in updates if not u.is_on_top)
    post.last_updated_at = max((u.timestamp for u in updates), default=None)
    sources = {q.source_id: q.source for q in cited_quotations(codes, quotations)}
    post.sources_html = render_to_string(
        "blog/post_sources.html", {"sources": list(sources.values())}
    ).strip()
    return HttpResponse(render_to_string("blog/_post.html", {"post": post, "detail": True}))


def preview_author(request, author_id):
    if author_id and request.user.has_perm("blog.sign_as_other_author"):
        found = get_user_model().objects.filter(pk=int_or_zero(author_id)).first()
        if found is not None:
            return found
    return request.user


def local_moment(text):
    """The admin's split date/time fields arrive as "YYYY-MM-DD HH:MM:SS" in local time."""
    moment = parse_datetime(text or "") if text else None
    if moment is None:
        return timezone.now()
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def int_or_zero(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0
