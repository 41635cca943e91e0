"""A post's stored page: everything the post page, the front page and the feeds show.

Derived from the post's row, its updates, tags and author, the quotations it embeds (and,
through them, their speakers, sources and excerpts) and its approved comments, by the one
markup pipeline and the templates. Written here only, under the post row's lock, from the
rows as they are, so no save can put back a stale copy of a derived column; what changed
nothing is not written and purges nothing. freshness/ decides when (freshness/rules.py).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.text import Truncator

import freshness
from quotes import markup, search_documents
from quotes.models import Quotation
from quotes.plaintext import html_to_text
from quotes.rendering import rendered as rendered_quotation

from .models import RENDER_VERSION, SITE_MARKER, Citation, Comment, Post, Update

logger = logging.getLogger(__name__)

BODY = ["body_html", "summary", "updates_top_html", "updates_appended_html", "last_updated_at"]
COMMENTS = ["comments_html", "comment_count"]
PAGE = ["sources_html", "article_html", "listing_html", "head_html", "cache_keys"]


def render_post(pk, *, body=True):
    """Render post `pk` again (its body and updates too unless `body` is False) and store
    what changed. Returns the post as stored, or None if it no longer exists."""
    with transaction.atomic():
        post = (
            Post.objects.select_related("author")
            .select_for_update(of=("self",))
            .filter(pk=pk)
            .first()
        )
        if post is None:
            return None
        before = {name: getattr(post, name) for name in [*BODY, *COMMENTS, *PAGE]}
        body = body or post.rendered_with != RENDER_VERSION
        updates = list(post.updates.all())
        codes = markup.quotation_ids("\n".join([post.body, *(u.body for u in updates)]))
        quotations = embedded_quotations(codes)
        if body:
            render_body(post, updates, quotations)
        render_comments(post)
        tags = list(post.tags.all())
        cited = cited_quotations(codes, quotations)
        assemble(post, tags, cited)
        changed = {name for name, value in before.items() if getattr(post, name) != value}
        if changed or post.rendered_with != RENDER_VERSION:
            post.rendered_with = RENDER_VERSION
            Post.objects.filter(pk=pk).update(
                rendered_with=RENDER_VERSION, **{name: getattr(post, name) for name in changed}
            )
        record_citations(post, cited)
        # The comment count shows in the article's byline: that alone is a comments change.
        content = changed & {*BODY, "sources_html", "head_html", "cache_keys"}
        if content or (changed & {"article_html", "listing_html"} and not changed & {*COMMENTS}):
            freshness.purge(f"post:{pk}")
        if changed & {*COMMENTS}:
            freshness.purge(f"comments:{pk}")
        if body:
            search_documents.write("post", pk, search_texts(post, updates, cited))
    return post


def embedded_quotations(ids):
    """{id: quotation} for the quotations the codes `ids` name and those within them, with
    their attribution; stale ones rendered in memory (the worker stores them)."""
    if not ids:
        return {}
    found = Quotation.objects.with_attribution().filter(Q(pk__in=ids) | Q(within__in=ids))
    quotations = {q.pk: q for q in found}
    for quotation in quotations.values():
        if quotation.is_stale:
            for name, value in rendered_quotation(quotation).items():
                setattr(quotation, name, value)
    return quotations


def render_body(post, updates, quotations):
    post.body_html = markup.render_markdown(post.body, quotations=quotations)
    text = post.excerpt or html_to_text(post.body_html)
    post.summary = Truncator(" ".join(text.split())).chars(300)
    for update in updates:
        html = markup.render_markdown(update.body, quotations=quotations)
        if html != update.body_html:
            update.body_html = html
            Update.objects.filter(pk=update.pk).update(body_html=html)
    post.updates_top_html = join_updates(u for u in updates if u.is_on_top)
    post.updates_appended_html = join_updates(u for u in updates if not u.is_on_top)
    post.last_updated_at = max((u.timestamp for u in updates), default=None)


def join_updates(updates):
    return "\n".join(
        render_to_string("blog/update.html", {"update": update}).strip() for update in updates
    )


def render_comments(post):
    """The approved comments' stored blocks, joined, and their count."""
    approved = Comment.objects.approved().filter(post=post).order_by("submitted_at", "pk")
    blocks = list(approved.values_list("pk", "html"))
    missing = [pk for pk, html in blocks if not html]  # stored before comments kept theirs
    if missing:
        rendered = {}
        for comment in Comment.objects.filter(pk__in=missing):
            rendered[comment.pk] = comment.render_block()
            Comment.objects.filter(pk=comment.pk).update(html=rendered[comment.pk])
        blocks = [(pk, html or rendered[pk]) for pk, html in blocks]
    post.comments_html = "\n".join(html for _, html in blocks)
    post.comment_count = len(blocks)


def cited_quotations(codes, quotations):
    """The quotations the post shows, in id order: those its codes embed and those within."""
    ids = set(codes)
    return sorted(
        (q for q in quotations.values() if q.pk in ids or q.within_id in ids),
        key=lambda q: q.pk,
    )


def assemble(post, tags, quotations):
    """Put the page together: the sources quoted, the article and the head (no markdown)."""
    from .structured_data import post_json_ld

    sources = {q.source_id: q.source for q in quotations}
    post.sources_html = render_to_string(
        "blog/post_sources.html", {"sources": list(sources.values())}
    ).strip()
    context = {"post": post, "tags": tags}
    post.listing_html = render_to_string("blog/_post.html", context).strip()
    post.article_html = render_to_string("blog/_post.html", {**context, "detail": True})
    post.head_html = render_to_string(
        "blog/_post_head.html",
        {
            **context,
            "site": SITE_MARKER,
            "blog_title": settings.BLOG_TITLE,
            "structured_data": post_json_ld(post, SITE_MARKER, tags, quotations),
        },
    ).strip()
    post.cache_keys = " ".join(
        [
            f"post:{post.pk}",
            f"author:{post.author_id}",
            *(f"tag:{tag.pk}" for tag in tags),
            *(f"quotation:{q.pk}" for q in quotations),
            *sorted({f"speaker:{q.speaker_id}" for q in quotations if q.speaker_id}),
            *(f"source:{pk}" for pk in sorted(sources)),
        ]
    )


def record_citations(post, quotations):
    """Citation rows for what the page shows; the lists gaining or losing it are purged."""
    now = {q.pk for q in quotations}
    before = set(Citation.objects.filter(post=post).values_list("quotation_id", flat=True))
    if now == before:
        return
    Citation.objects.filter(post=post, quotation_id__in=before - now).delete()
    Citation.objects.bulk_create(
        [Citation(post=post, quotation_id=pk) for pk in now - before], ignore_conflicts=True
    )
    moved = Quotation.objects.filter(pk__in=now ^ before).values_list(
        "pk", "speaker_id", "source_id"
    )
    keys = set()
    for pk, speaker_id, source_id in moved:
        keys |= {f"quotation-page:{pk}", f"source-page:{source_id}"}
        if speaker_id:
            keys.add(f"speaker-page:{speaker_id}")
    freshness.purge(*keys)


def search_texts(post, updates, quotations):
    """The post's search document: its title; its own words; the quotations it shows, with
    who said them and where (so "Medvedev" finds the posts quoting him)."""
    own = [post.excerpt, post.body, *(update.body for update in updates)]
    quoted = [" ".join(search_documents.quotation_texts(q)) for q in quotations]
    return post.title, markup.ANY_CODE.sub(" ", "\n".join(own)), "\n".join(quoted)


def fresh(posts):
    """`posts` with any stale one rendered now (on read: no page shows a stale post). If
    rendering fails, the stored page is shown as it is rather than no page."""
    for post in posts:
        if not post.is_stale:
            continue
        try:
            current = render_post(post.pk)
        except Exception:
            logger.exception("rendering post %s on read failed; showing it as stored", post.pk)
            continue
        if current is not None:
            for name in [*BODY, *COMMENTS, *PAGE, "rendered_with"]:
                if name in post.__dict__:
                    setattr(post, name, getattr(current, name))
    return posts
