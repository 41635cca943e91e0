"""JSON-LD for a post page: a schema.org BlogPosting, its sources and its quotations.

Built from stored fields when the post's page is put together (Post.render_fragments),
never per request, and serialized by the `json_ld` filter, which escapes it for a
<script> element. `base` is the site's address, or Post.SITE_MARKER in stored HTML.
"""

from django.conf import settings
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


def plain(sanitized_html):
    """Text of HTML from the sanitizing pipeline: entities decoded (json_ld escapes it
    once), inline quotations kept in quotation marks (quotes/plaintext.py)."""
    return html_to_text(sanitized_html)


def source_item(source, base):
    page = base + source.get_absolute_url()
    item = {
        "@type": SOURCE_TYPES.get(source.kind, "CreativeWork"),
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
    if source.archived_url:
        item["archivedAt"] = source.archived_url
    return item


def quotation_item(quotation, base):
    page = base + quotation.get_absolute_url()
    item = {
        "@type": "Quotation",
        "@id": page,
        "url": page,
        "text": plain(quotation.text_html),
        "isBasedOn": source_item(quotation.source, base),
    }
    if quotation.speaker_id:
        person = quotation.speaker
        speaker = {"@type": "Person", "name": person.name, "url": base + person.get_absolute_url()}
        if person.description:
            speaker["description"] = person.description
        if person.url:
            speaker["sameAs"] = person.url
        item["spokenByCharacter"] = item["creator"] = speaker
    elif quotation.anonymous_description:
        # Unnamed, as the source describes them: a person with a description and no name.
        item["creator"] = {"@type": "Person", "description": quotation.anonymous_description}
    elif quotation.source.publisher:
        item["creator"] = {"@type": "Organization", "name": quotation.source.publisher}
    if quotation.date:
        item["dateCreated"] = quotation.date.isoformat()
    return item


def post_json_ld(post, base, tags, quotations):
    """The <script> element with the BlogPosting of `post`, its `tags` and `quotations`."""
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
        "citation": [source_item(source, base) for source in sources.values()],
        "hasPart": [quotation_item(quotation, base) for quotation in quotations],
    }
    return json_ld(data)
