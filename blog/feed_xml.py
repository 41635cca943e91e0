"""Atom and RSS documents written directly as strings: the bytes Django's feed generator
(django.utils.feedgenerator through SimplerXMLGenerator) writes for the feeds we serve,
elements, attributes (sorted), dates and escaping alike, without its ~500 write calls and
per-attribute lookups a feed (most of a feed's time). tests/test_feed_xml.py compares the
two on generated data byte for byte.

Only what our feeds use is written: a feed author's name (no e-mail or URI), entries with an
author's name, no enclosures, comments, copyright, TTL or stylesheets.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from django.utils.feedgenerator import rfc2822_date, rfc3339_date
from django.utils.xmlutils import UnserializableContentError

ATOM_TYPE = "application/atom+xml; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# What XML 1.0 cannot hold; SimplerXMLGenerator refuses it too. Looked for in the encoded
# document, where these bytes are only ever these characters (UTF-8 multi-byte sequences
# are all >= 0x80); deleting them is a fifth of a regex search's time.
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


@dataclass
class Channel:
    title: str
    link: str  # absolute
    feed_url: str  # absolute: the feed's own address
    description: str  # RSS <description>; Atom's <subtitle> is `subtitle`
    subtitle: str | None
    language: str | None
    author_name: str | None


@dataclass
class Entry:
    title: str
    link: str  # absolute; also the entry's id (Atom) and guid (RSS)
    description: str | None  # RSS <description>, Atom <summary type="html">
    published: datetime | None
    updated: datetime | None
    author_name: str | None = None
    categories: list = field(default_factory=list)
    content: str | None = None  # Atom <content type="html">; RSS has none


def element(name, text, attributes=""):
    """<name attributes>text</name>, or <name attributes/> when there is no text."""
    if text:
        return f"<{name}{attributes}>{escape(text)}</{name}>"
    return f"<{name}{attributes}/>"


def latest(entries):
    """The newest date of the entries (Last-Modified, the feed's own <updated>): now when
    they have none, as Django's latest_post_date() says."""
    dates = [d for entry in entries for d in (entry.updated, entry.published) if d]
    return max(dates) if dates else datetime.now(tz=UTC)


def atom(channel, entries):
    """The Atom 1.0 document, as bytes."""
    lang = "" if channel.language is None else f" xml:lang={quoteattr(channel.language)}"
    parts = [
        XML_DECLARATION,
        f'<feed{lang} xmlns="http://www.w3.org/2005/Atom">',
        element("title", channel.title),
        f'<link href={quoteattr(channel.link)} rel="alternate"/>',
        f'<link href={quoteattr(channel.feed_url)} rel="self"/>',
        element("id", channel.link),
        element("updated", rfc3339_date(latest(entries))),
    ]
    if channel.author_name is not None:
        parts.append(f"<author>{element('name', channel.author_name)}</author>")
    if channel.subtitle is not None:
        parts.append(element("subtitle", channel.subtitle))
    for entry in entries:
        parts += [
            "<entry>",
            element("title", entry.title),
            f'<link href={quoteattr(entry.link)} rel="alternate"/>',
        ]
        if entry.published is not None:
            parts.append(element("published", rfc3339_date(entry.published)))
        if entry.updated is not None:
            parts.append(element("updated", rfc3339_date(entry.updated)))
        if entry.author_name is not None:
            parts.append(f"<author>{element('name', entry.author_name)}</author>")
        parts.append(element("id", entry.link))
        if entry.description is not None:
            parts.append(element("summary", entry.description, ' type="html"'))
        parts += [f"<category term={quoteattr(name)}/>" for name in entry.categories]
        if entry.content:
            parts.append(element("content", entry.content, ' type="html"'))
        parts.append("</entry>")
    parts.append("</feed>")
    return encoded(parts)


def rss(channel, entries):
    """The RSS 2.0 document, as bytes."""
    parts = [
        XML_DECLARATION,
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>',
        element("title", channel.title),
        element("link", channel.link),
        element("description", channel.description),
        f'<atom:link href={quoteattr(channel.feed_url)} rel="self"/>',
    ]
    if channel.language is not None:
        parts.append(element("language", channel.language))
    parts.append(element("lastBuildDate", rfc2822_date(latest(entries))))
    for entry in entries:
        parts += ["<item>", element("title", entry.title), element("link", entry.link)]
        if entry.description is not None:
            parts.append(element("description", entry.description))
        if entry.author_name:
            parts.append(
                element(
                    "dc:creator",
                    entry.author_name,
                    ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
                )
            )
        if entry.published is not None:
            parts.append(element("pubDate", rfc2822_date(entry.published)))
        parts.append(element("guid", entry.link))
        parts += [element("category", name) for name in entry.categories]
        parts.append("</item>")
    parts.append("</channel></rss>")
    return encoded(parts)


def encoded(parts):
    document = "".join(parts).encode("utf-8", "xmlcharrefreplace")
    if len(document.translate(None, CONTROL_BYTES)) != len(document):
        raise UnserializableContentError("Control characters are not supported in XML 1.0")
    return document
