"""JSON-LD and OpenGraph for the public pages: schema.org types for what each page shows.

A post page is a BlogPosting with its sources and quotations, built from stored fields when
the post's page is put together (Post.render_fragments), never per request. The quotation,
speaker and source pages get a Quotation, a Person and a CreativeWork, built from the rows
the page already loaded (no query of their own). Everything is serialized by the `json_ld`
filter, which escapes it for a <script> element, once; OpenGraph values are plain text the
template escapes. `base` is the site's address, or Post.SITE_MARKER in stored HTML.
"""

from django.conf import settings
from django.utils.text import Truncator
from django.utils.timezone import localtime

from quotes.models import Source
from quotes.plaintext import html_to_text

from .templatetags.blog_tags import json_ld

# What a source is, in schema.org's words; kinds with no better type are CreativeWork.
SOURCE_TYPES = {
    Source.Kind.ARTICLE: "NewsArticle",
    Source.Kind.DOCUMENT: "DigitalDocument",
    Source.Kind.SOCIAL_POST: "SocialMediaPosting",
    Source.Kind.BOOK: "Book",
}


def source_type(source):
    if source.kind == Source.Kind.ARTICLE and not source.publisher:
        return "Article"  # a news article has a publisher
    return SOURCE_TYPES.get(source.kind, "CreativeWork")


def source_item(source, base, archived_at=None):
    """The source as a CreativeWork; `archived_at`: the address of our own copy of it."""
    page = base + source.get_absolute_url()
    item = {
        "@type": source_type(source),
        "@id": page,
        "name": source.title,
        "url": source.url or page,
    }
    if source.publisher:
        item["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.author:
        item["author"] = {"@type": "Person", "name": source.author}
    if source.published_on:
        item["datePublished"] = source.published_on.isoformat()
    archives = [address for address in (archived_at, source.archived_url) if address]
    if archives:
        item["archivedAt"] = archives[0] if len(archives) == 1 else archives
    return item


def quotation_item(quotation, base, archived_at=None, built=None):
    """`built`: the items of sources and speakers already built from the same rows (a dict
    a post renderer keeps for a batch: a speaker quoted across its posts is built once)."""
    built = {} if built is None else built
    page = base + quotation.get_absolute_url()
    if archived_at is None:
        based_on = once(built, "source", quotation.source, base, source_item)
    else:
        based_on = source_item(quotation.source, base, archived_at)
    item = {
        "@type": "Quotation",
        "@id": page,
        "url": page,
        "text": html_to_text(quotation.text_html),  # json_ld escapes it once
        "isBasedOn": based_on,
    }
    if quotation.speaker_id:
        speaker = once(built, "speaker", quotation.speaker, base, person_item)
        item["spokenByCharacter"] = item["creator"] = speaker
    elif quotation.anonymous_description:
        # Unnamed, as the source describes them: credited in words, since a Person without
        # a name is an error to validators.
        item["creditText"] = quotation.anonymous_description
    elif quotation.source.publisher:
        item["creator"] = {"@type": "Organization", "name": quotation.source.publisher}
    if quotation.date:
        item["dateCreated"] = quotation.date.isoformat()
    return item


def once(built, kind, row, base, build):
    """build(row, base), or the item built before for the same row (within one batch, whose
    rows were read together). Items are shared, so nothing may change one once built."""
    key = (kind, row.pk, base)
    if key not in built:
        built[key] = build(row, base)
    return built[key]


def post_json_ld(post, base, tags, quotations, built=None):
    """The <script> element with the BlogPosting of `post`, its `tags` and `quotations`.
    `built`: see quotation_item."""
    built = {} if built is None else built
    url = base + post.get_absolute_url()
    sources = {q.source_id: q.source for q in quotations}
    # The display name, never the login; without one the blog itself is the author.
    name = post.author.get_full_name()
    author = (
        {"@type": "Person", "name": name}
        if name
        else {"@type": "Organization", "name": settings.BLOG_TITLE}
    )
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": post.title,
        "description": post.summary,
        "datePublished": localtime(post.published_at).isoformat(),
        "dateModified": localtime(post.last_updated_at or post.published_at).isoformat(),
        "author": author,
        "publisher": {"@type": "Organization", "name": settings.BLOG_TITLE, "url": base + "/"},
        "isPartOf": {"@type": "Blog", "name": settings.BLOG_TITLE, "url": base + "/"},
        "keywords": [tag.name for tag in tags],
        "citation": [
            once(built, "source", source, base, source_item) for source in sources.values()
        ],
        "hasPart": [quotation_item(quotation, base, built=built) for quotation in quotations],
    }
    return json_ld(data)


def person_item(speaker, base):
    page = base + speaker.get_absolute_url()
    item = {"@type": "Person", "@id": page, "name": speaker.name, "url": page}
    if speaker.description:
        item["description"] = speaker.description
    if speaker.url:
        item["sameAs"] = speaker.url
    return item


def page_head(data, og_type, title, description, url):
    """Template context for a page's <head>: its JSON-LD element and OpenGraph values."""
    data = {"@context": "https://schema.org", **data, "mainEntityOfPage": url}
    og = {"type": og_type, "title": title, "description": description, "url": url}
    return {"structured_data": json_ld(data), "og": og}


def quotation_page(quotation, base, archived_at=None, verification=None):
    """The quotation page's head: a Quotation with its speaker, context, date and source.

    Hooks for quotation integrity: `archived_at`, the address of our snapshot of the
    source; `verification`, when the words were found in it, a mapping with `checked_at`
    (a datetime) and `url` (the source's address opening on the words).
    """
    item = quotation_item(quotation, base, archived_at)
    item["isPartOf"] = {"@id": item["isBasedOn"]["@id"]}
    if quotation.is_anonymous:
        reason = f": {quotation.anonymity_reason}" if quotation.anonymity_reason else ""
        said = f"Said by {quotation.anonymous_description}, who is not named{reason}."
        item["description"] = f"{said} {quotation.context}" if quotation.context else said
    elif quotation.context:
        item["description"] = quotation.context
    if verification:
        # The page that shows the words, and when we last checked they are there.
        item["citation"] = {
            "@type": "WebPage",
            "url": verification["url"],
            "lastReviewed": localtime(verification["checked_at"]).isoformat(),
        }
    words = item["text"]
    title = f"“{Truncator(words).words(12)}” — {quotation.attribution_name}"
    description = f"{quotation.attribution_name}: “{Truncator(words).words(40)}”"
    return page_head(item, "article", title, description, item["url"])


def speaker_page(speaker, base, organization=False):
    """The speaker page's head: a Person (an Organization when `organization`)."""
    item = person_item(speaker, base)
    if organization:
        item["@type"] = "Organization"
    about = f", {speaker.description}" if speaker.description else ""
    description = f"Quotations of {speaker.name}{about}, each with its source."
    return page_head(item, "profile", speaker.name, description, item["url"])


def source_page(source, base, archived_at=None):
    """The source page's head: the CreativeWork (a NewsArticle when it has a publisher)."""
    item = source_item(source, base, archived_at)
    og_type = {"Book": "book", "NewsArticle": "article", "Article": "article"}
    by = f", {source.publisher}" if source.publisher else ""
    description = f"Quotations taken from “{source.title}”{by}."
    return page_head(
        item, og_type.get(item["@type"], "website"), source.title, description, item["@id"]
    )
