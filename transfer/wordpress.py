"""WordPress WXR 1.1/1.2 exports: posts and pages (any status), terms, comments, authors."""

import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from django.utils import timezone

from quotes.plaintext import html_to_text

from . import bodies
from .items import CommentItem, Person, PostItem
from .read import ImportFailed, elements

IMPORTED_TYPES = {"post", "page"}
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
PUBLISHED_STATUSES = {"publish", "future"}
COMMENT_STATUS = {"1": "approved", "0": "pending", "spam": "spam", "trash": "rejected"}
TERM_DOMAINS = {"category", "post_tag"}


def local(tag):
    return tag.rpartition("}")[2]


def fields(element):
    """{local name: text} of an element's children (the first of each name)."""
    found = {}
    for child in element:
        found.setdefault(local(child.tag), (child.text or "").strip())
    return found


def read(stream):
    """Yield PostItem and CommentItem; authors come first in a WXR file (<wp:author>)."""
    authors = {}
    for element in elements(stream, lambda tag: tag in {"item"} or tag.endswith("}author")):
        if element.tag != "item":
            if "wordpress.org/export/" in element.tag:
                info = fields(element)
                login = info.get("author_login", "")
                authors[login] = Person(info.get("author_display_name") or login,
                                        info.get("author_email", ""), login)  # fmt: skip
            continue
        info = fields(element)
        if info.get("post_type") not in IMPORTED_TYPES or info.get("status") in SKIPPED_STATUSES:
            continue
        post = post_item(element, info, authors)
        yield post
        for comment in element.iter():
            if comment.tag.endswith("}comment") and len(comment):
                yield comment_item(comment, post)


def when(gmt, local_value, fallback=""):
    for value, zone in ((gmt, datetime.UTC), (local_value, timezone.get_default_timezone())):
        if value and not value.startswith("0000"):
            try:
                return datetime.datetime.fromisoformat(value).replace(tzinfo=zone)
            except ValueError:
                pass
    try:
        return parsedate_to_datetime(fallback)
    except (TypeError, ValueError):
        return timezone.now()


def post_item(element, info, authors):
    # Both: a guid can repeat in one export (the theme unit test data has two), an id
    # repeats across sites.
    key = f"wordpress:{info.get('post_id')}:{info.get('guid')}"
    status, password = info.get("status", ""), info.get("post_password", "")
    draft = status not in PUBLISHED_STATUSES or bool(password)
    report = ""
    if status == "private" or password:
        why = "password-protected" if password else "private"
        report = (
            f"{info.get('post_type')} “{info.get('title') or key}” was {why}: imported as a draft."
        )
    login = info.get("creator", "")
    link = urlsplit(info.get("link", ""))
    tags = [c.text.strip() for c in element.iterfind("category")
            if c.get("domain") in TERM_DOMAINS and c.text and c.text.strip()]  # fmt: skip
    return PostItem(
        key=key,
        kind=info["post_type"],
        title=html_to_text(info.get("title", "")),
        published_at=when(info.get("post_date_gmt"), info.get("post_date"), info.get("pubDate")),
        author=authors.get(login) or Person(login or "Anonymous", login=login),
        html=info.get("encoded", ""),  # content:encoded comes before excerpt:encoded
        slug=info.get("post_name", ""),
        draft=draft,
        tags=list(dict.fromkeys(tags)),
        old_path="" if link.query or draft else link.path,
        report=report,
        excerpt=html_to_text(excerpt(element)),
        comments_open=info.get("comment_status") != "closed",
    )


def excerpt(element):
    for child in element:
        if "/excerpt/" in child.tag and local(child.tag) == "encoded":
            return child.text or ""
    return ""


def comment_item(element, post):
    info = fields(element)
    if not info.get("comment_id"):
        raise ImportFailed(f"A comment on “{post.title}” has no wp:comment_id.")
    parent = info.get("comment_parent", "0")
    return CommentItem(
        key=f"{post.key}#comment-{info['comment_id']}",
        post_key=post.key,
        parent_key=f"{post.key}#comment-{parent}" if parent not in {"", "0"} else "",
        name=(info.get("comment_author") or "Anonymous")[:100],
        email=info.get("comment_author_email", "")[:254],
        url=info.get("comment_author_url", "")[:200],
        text=bodies.plain_text(info.get("comment_content", "")),
        submitted_at=when(info.get("comment_date_gmt"), info.get("comment_date")),
        status=COMMENT_STATUS.get(info.get("comment_approved", "0"), "pending"),
        ip_address=info.get("comment_author_IP") or None,
    )
