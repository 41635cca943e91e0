"""Blogger "Back up content" exports (Atom): posts, drafts, pages and comments."""

import datetime
from urllib.parse import urlsplit

from quotes.plaintext import html_to_text

from . import bodies
from .items import CommentItem, Person, PostItem
from .read import ImportFailed, elements, text

ATOM = "{http://www.w3.org/2005/Atom}"
NS = {
    "a": "http://www.w3.org/2005/Atom",
    "thr": "http://purl.org/syndication/thread/1.0",
}
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
DRAFT_PATHS = ["{http://purl.org/atom/app#}control/{http://purl.org/atom/app#}draft",
               "{http://www.w3.org/2007/app}control/{http://www.w3.org/2007/app}draft"]  # fmt: skip


def read(stream):
    """Yield PostItem and CommentItem, in the order of the export."""
    for entry in elements(stream, (ATOM + "entry").__eq__):
        kind = entry_kind(entry)
        if kind in {"post", "page"}:
            yield post_item(entry, kind)
        elif kind == "comment":
            yield comment_item(entry)


def entry_kind(entry):
    for category in entry.iterfind("a:category", NS):
        if category.get("scheme") == KIND_SCHEME:
            return category.get("term", "").rpartition("#")[2]
    return ""


def when(entry, name):
    value = text(entry, f"a:{name}", NS)
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise ImportFailed(f"Entry {text(entry, 'a:id', NS)}: bad <{name}> “{value}”.") from error


def author(entry):
    email = text(entry, "a:author/a:email", NS)
    return Person(name=text(entry, "a:author/a:name", NS) or "Anonymous",
                  email="" if email == "noreply@blogger.com" else email)  # fmt: skip


def link(entry, rel):
    for element in entry.iterfind("a:link", NS):
        if element.get("rel") == rel:
            return element.get("href", "")
    return ""


def post_item(entry, kind):
    draft = any(text(entry, path) == "yes" for path in DRAFT_PATHS)
    old_path = urlsplit(link(entry, "alternate")).path
    slug = old_path.rpartition("/")[2].removesuffix(".html")
    tags = [c.get("term", "") for c in entry.iterfind("a:category", NS)
            if c.get("scheme") == LABEL_SCHEME]  # fmt: skip
    return PostItem(
        # Comments name a page by ".post-<n>" too, so pages are keyed as posts.
        key=f"blogger:{text(entry, 'a:id', NS).replace('.page-', '.post-')}",
        kind=kind,
        title=html_to_text(text(entry, "a:title", NS)),
        published_at=when(entry, "published"),
        updated_at=when(entry, "updated") if text(entry, "a:updated", NS) else None,
        author=author(entry),
        html=text(entry, "a:content", NS),
        slug=slug,
        draft=draft,
        tags=[t for t in tags if t.strip()],
        old_path=old_path,
    )


def comment_item(entry):
    entry_id = text(entry, "a:id", NS)
    reply_to = entry.find("thr:in-reply-to", NS)
    if reply_to is None:
        raise ImportFailed(f"Comment {entry_id} names no post (thr:in-reply-to).")
    parent = link(entry, "related").rstrip("/").rpartition("/")[2]
    person = author(entry)
    return CommentItem(
        key=f"blogger:{entry_id}",
        post_key=f"blogger:{reply_to.get('ref', '')}",
        parent_key=f"blogger:{entry_id.rpartition('.post-')[0]}.post-{parent}" if parent else "",
        name=person.name[:100],
        email=person.email,
        url=text(entry, "a:author/a:uri", NS)[:200],
        text=bodies.plain_text(text(entry, "a:content", NS)),
        submitted_at=when(entry, "published"),
    )
