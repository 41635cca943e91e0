"""The whole blog, streamed: as JSON Lines (docs/export-format.md), which native.py reads
back, or as WordPress WXR 1.2 for other blog software. Rows are read in chunks
(iterator()), so the export of a large blog takes the memory of one chunk."""

import base64
import json
from xml.sax.saxutils import escape

from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch

from blog.models import Comment, Post, Tag
from blog.rendering import fresh
from integrity.models import Snapshot
from quotes.models import Quotation, Source, Speaker
from redirects.models import Redirect

FORMAT = "quotes-blog-export"
VERSION = 1
CHUNK = 500
SOURCE_FIELDS = [
    "title", "slug", "publisher", "author", "kind", "url", "published_on", "archived_url",
    "accessed_on", "notes", "is_public",
]  # fmt: skip
QUOTATION_FIELDS = [
    "text", "speaker_id", "anonymous_description", "anonymity_reason", "source_id",
    "within_id", "context", "said_on", "locator", "translation_note", "is_public",
    "needs_review",
]  # fmt: skip
SNAPSHOT_FIELDS = [
    "source_id", "origin", "taken_at", "http_status", "final_url", "content_type", "sha256",
    "size", "truncated", "text", "reference", "note",
]  # fmt: skip
COMMENT_FIELDS = [
    "post_id", "in_reply_to_id", "name", "email", "url", "text", "status", "submitted_at",
    "ip_address", "user_agent", "note", "moderated_at",
]  # fmt: skip


def when(value):
    return value.isoformat() if value else None


def records():
    """Every record of the blog as a dict, in an order the importer can follow."""
    yield {"type": "header", "format": FORMAT, "version": VERSION}
    for user in get_user_model().objects.filter(posts__isnull=False).distinct().order_by("pk"):
        yield {"type": "author", "id": user.pk, "username": user.username,
               "first_name": user.first_name, "last_name": user.last_name}  # fmt: skip
    for tag in Tag.objects.order_by("pk").iterator(CHUNK):
        yield {"type": "tag", "id": tag.pk, "name": tag.name, "slug": tag.slug}
    for speaker in Speaker.objects.order_by("pk").iterator(CHUNK):
        yield {"type": "speaker", "id": speaker.pk, "name": speaker.name, "slug": speaker.slug,
               "description": speaker.description, "url": speaker.url,
               "is_public": speaker.is_public}  # fmt: skip
    for source in Source.objects.order_by("pk").iterator(CHUNK):
        yield {"type": "source", "id": source.pk, **values(source, SOURCE_FIELDS)}
    # Excerpts before the quotations within them.
    quotations = Quotation.objects.order_by(F("within").asc(nulls_first=True), "pk")
    for quotation in quotations.iterator(CHUNK):
        yield {"type": "quotation", "id": quotation.pk, **values(quotation, QUOTATION_FIELDS)}
    # The copies quotations are checked against (after them: loading one checks them).
    for snapshot in Snapshot.objects.order_by("pk").iterator(50):
        yield {"type": "snapshot", "id": snapshot.pk, **values(snapshot, SNAPSHOT_FIELDS),
               "raw": base64.b64encode(bytes(snapshot.raw)).decode()}  # fmt: skip
    yield from post_records()
    for comment in Comment.objects.order_by("pk").iterator(CHUNK):
        yield {"type": "comment", "id": comment.pk, **values(comment, COMMENT_FIELDS)}
    for redirect in Redirect.objects.order_by("pk").iterator(CHUNK):
        yield {"type": "redirect", "old_path": redirect.old_path,
               "new_path": redirect.new_path, "note": redirect.note}  # fmt: skip


def post_records():
    posts = Post.objects.order_by("pk").prefetch_related("tags", "updates")
    for post in posts.iterator(CHUNK):
        yield {
            "type": "post", "id": post.pk, "title": post.title, "slug": post.slug,
            "author_id": post.author_id, "body": post.body, "excerpt": post.excerpt,
            "status": post.status, "published_at": when(post.published_at),
            "comments_open": post.comments_open, "tag_ids": [t.pk for t in post.tags.all()],
            "updates": [{"body": u.body, "timestamp": when(u.timestamp), "kind": u.kind,
                         "placement": u.placement} for u in post.updates.all()],
        }  # fmt: skip


def values(obj, names):
    """{name: value} of `obj`'s fields, dates and times as ISO 8601."""
    found = {name: getattr(obj, name) for name in names}
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in found.items()}


def write_json(out):
    """JSON Lines: one record per line (`out` takes str)."""
    for record in records():
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


WXR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>{title}</title><link>{site}</link><wp:wxr_version>1.2</wp:wxr_version>
"""
COMMENT_APPROVED = {"approved": "1", "pending": "0", "spam": "spam", "rejected": "trash"}


def cdata(value):
    return "<![CDATA[" + (value or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write_wxr(out, site="", title="Blog"):
    """WordPress WXR 1.2: posts with their rendered HTML (quotations shown as the page
    shows them), tags, authors and comments. Quotations as records exist only in JSON."""
    out.write(WXR_HEAD.format(title=escape(title), site=escape(site)))
    for user in get_user_model().objects.filter(posts__isnull=False).distinct().order_by("pk"):
        out.write(f"<wp:author><wp:author_login>{cdata(user.username)}</wp:author_login>"
                  f"<wp:author_display_name>{cdata(user.get_full_name() or user.username)}"
                  "</wp:author_display_name></wp:author>\n")  # fmt: skip
    comments = Prefetch("comments", queryset=Comment.objects.order_by("pk"))
    posts = Post.objects.order_by("pk").select_related("author").prefetch_related("tags", comments)
    for post in posts.iterator(CHUNK):
        fresh([post])  # a post not rendered yet (just imported) has no HTML to export
        write_wxr_item(out, post, site)
    out.write("</channel></rss>\n")


def write_wxr_item(out, post, site):
    status = "publish" if post.status == Post.Status.PUBLISHED else "draft"
    gmt = post.published_at.strftime("%Y-%m-%d %H:%M:%S")
    parts = [
        f"<item><title>{escape(post.title)}</title>",
        f"<link>{escape(site + post.get_absolute_url())}</link>",
        f"<dc:creator>{cdata(post.author.username)}</dc:creator>",
        f'<guid isPermaLink="false">{escape(site)}/?post={post.pk}</guid>',
        f"<content:encoded>{cdata(post.body_html)}</content:encoded>",
        f"<excerpt:encoded>{cdata(post.excerpt)}</excerpt:encoded>",
        f"<wp:post_id>{post.pk}</wp:post_id><wp:post_date_gmt>{gmt}</wp:post_date_gmt>",
        f"<wp:post_name>{escape(post.slug)}</wp:post_name><wp:status>{status}</wp:status>",
        "<wp:post_type>post</wp:post_type>",
        f"<wp:comment_status>{'open' if post.comments_open else 'closed'}</wp:comment_status>",
    ]
    for tag in post.tags.all():
        nicename = escape(tag.slug, {'"': "&quot;"})
        name = cdata(tag.name)
        parts.append(f'<category domain="post_tag" nicename="{nicename}">{name}</category>')
    for comment in post.comments.all():
        parts.append(
            f"<wp:comment><wp:comment_id>{comment.pk}</wp:comment_id>"
            f"<wp:comment_author>{cdata(comment.name)}</wp:comment_author>"
            f"<wp:comment_author_email>{cdata(comment.email)}</wp:comment_author_email>"
            f"<wp:comment_author_url>{cdata(comment.url)}</wp:comment_author_url>"
            f"<wp:comment_date_gmt>{comment.submitted_at:%Y-%m-%d %H:%M:%S}</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata(comment.text)}</wp:comment_content>"
            f"<wp:comment_approved>{COMMENT_APPROVED[comment.status]}</wp:comment_approved>"
            f"<wp:comment_parent>{comment.in_reply_to_id or 0}</wp:comment_parent></wp:comment>"
        )  # fmt: skip
    out.write("".join(parts) + "</item>\n")
