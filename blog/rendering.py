"""A post's stored page: everything the post page, the front page and the feeds show.

Derived from the post's row, its updates, tags and author, the quotations it embeds (and,
through them, their speakers, sources and excerpts) and its approved comments, by the one
markup pipeline and the templates. Written here only, under the post row's lock, from the
rows as they are, so no save can put back a stale copy of a derived column; what changed
nothing is not written and purges nothing. freshness/ decides when (freshness/rules.py).
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.text import Truncator

import freshness
from freshness.rows import write_rows
from quotes import markup, search_documents
from quotes.models import Quotation
from quotes.plaintext import text_start
from quotes.rendering import rendered as rendered_quotation

from .models import (
    RENDER_VERSION,
    SITE_MARKER,
    Citation,
    Comment,
    Post,
    Update,
    record_public_from,
)
from .models.post import listed_at

logger = logging.getLogger(__name__)

BODY = ["body_html", "summary", "updates_top_html", "updates_appended_html", "last_updated_at"]
COMMENTS = ["comments_html", "comment_count"]
SUMMARY_CHARS = 300
PAGE = ["sources_html", "article_html", "listing_html", "line_html", "head_html", "cache_keys"]
# What a Citation row copies from its quotation and its post.
COPIED = ["speaker_id", "source_id", "listed_at"]


def render_post(pk, *, body=True):
    """Render post `pk` again (its body and updates too unless `body` is False) and store
    what changed. Returns the post as stored, or None if it no longer exists."""
    return render_posts([pk], body=body).get(pk)


def render_posts(ids, *, body=True):
    """Render the posts `ids` again, together, and store what changed; returns {id: post as
    stored} for those that still exist.

    A batch costs about a dozen queries however many posts it holds (the worker renders 50
    at a time): the rows are locked and loaded at once with everything their pages show,
    and what changed is written back in bulk."""
    with transaction.atomic():
        posts = list(
            Post.objects.select_related("author")
            .select_for_update(of=("self",))
            .filter(pk__in=ids)
            .order_by("pk")
        )
        ids = [post.pk for post in posts]
        updates = grouped(Update.objects.filter(post__in=ids).order_by("timestamp", "pk"))
        tags = defaultdict(list)
        tagged = Post.tags.through.objects.filter(post__in=ids).select_related("tag")
        for link in tagged.order_by("tag__name", "tag_id"):
            tags[link.post_id].append(link.tag)
        codes = {
            post.pk: markup.quotation_ids(
                "\n".join([post.body, *(u.body for u in updates[post.pk])])
            )
            for post in posts
        }
        quotations = embedded_quotations({pk for shown in codes.values() for pk in shown})
        comments = approved_comment_blocks(ids)
        parts = grouped(quotations.values(), "within_id")
        changed_posts, changed_updates, documents, cited = [], [], [], {}
        built = {}  # JSON-LD of the batch's sources and speakers, each built once
        for post in posts:
            before = {name: getattr(post, name) for name in [*BODY, *COMMENTS, *PAGE]}
            with_body = body or post.rendered_with != RENDER_VERSION
            if with_body:
                changed_updates += render_body(post, updates[post.pk], quotations)
            post.comments_html = "\n".join(comments[post.pk])
            post.comment_count = len(comments[post.pk])
            cited[post.pk] = cited_quotations(codes[post.pk], quotations, parts)
            assemble(post, tags[post.pk], cited[post.pk], built)
            changed = {name for name, value in before.items() if getattr(post, name) != value}
            if changed or post.rendered_with != RENDER_VERSION:
                post.rendered_with = RENDER_VERSION
                changed_posts.append((post, changed))
            # The comment count shows in the article's byline: that alone is a comments change.
            content = changed & {*BODY, "sources_html", "head_html", "cache_keys"}
            if content or (
                changed & {"article_html", "listing_html"} and not changed & {*COMMENTS}
            ):
                freshness.purge(f"post:{post.pk}")
            if changed & {*COMMENTS}:
                freshness.purge(f"comments:{post.pk}")
            if with_body:
                documents.append((post.pk, search_texts(post, updates[post.pk], cited[post.pk])))
        write_changed(changed_posts)
        write_rows(Update, changed_updates, ["body_html"])
        record_citations(posts, cited)
        search_documents.write_many("post", documents)
    return {post.pk: post for post in posts}


def grouped(rows, key="post_id"):
    groups = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    return groups


def write_changed(changed_posts):
    """One UPDATE per set of changed columns (most posts of a batch share one)."""
    by_fields = defaultdict(list)
    for post, changed in changed_posts:
        by_fields[frozenset(changed)].append(post)
    for fields, posts in by_fields.items():
        write_rows(Post, posts, ["rendered_with", *sorted(fields)])


def embedded_quotations(ids):
    """{id: quotation} for the quotations the codes `ids` name and those within them, with
    their attribution; stale ones rendered in memory (the worker stores them)."""
    if not ids:
        return {}
    found = Quotation.objects.to_render().filter(Q(pk__in=ids) | Q(within__in=ids))
    quotations = {q.pk: q for q in found}
    for quotation in quotations.values():
        if quotation.is_stale:
            for name, value in rendered_quotation(quotation).items():
                setattr(quotation, name, value)
    return quotations


def render_body(post, updates, quotations):
    """The body, summary and updates of `post`; returns the updates whose HTML changed."""
    post.body_html = markup.render_markdown(post.body, quotations=quotations)
    # Only the start of a long body is parsed for its summary (identical to the whole's).
    text = post.excerpt or text_start(post.body_html, SUMMARY_CHARS)
    post.summary = Truncator(" ".join(text.split())).chars(SUMMARY_CHARS)
    changed = []
    for update in updates:
        html = markup.render_markdown(update.body, quotations=quotations)
        if html != update.body_html:
            update.body_html = html
            changed.append(update)
    post.updates_top_html = join_updates(u for u in updates if u.is_on_top)
    post.updates_appended_html = join_updates(u for u in updates if not u.is_on_top)
    post.last_updated_at = max((u.timestamp for u in updates), default=None)
    return changed


def join_updates(updates):
    return "\n".join(
        render_to_string("blog/update.html", {"update": update}).strip() for update in updates
    )


def approved_comment_blocks(post_ids):
    """{post id: the stored blocks of its approved comments, in order}."""
    # In post order first: read through the (post, status, submitted_at) index, where
    # ordering by date alone walks every approved comment of the site (a second per batch
    # at a million comments on SQLite).
    approved = (
        Comment.objects.approved()
        .filter(post__in=post_ids)
        .order_by("post_id", "submitted_at", "pk")
    )
    rows = list(approved.values_list("pk", "post_id", "html"))
    missing = [pk for pk, _, html in rows if not html]  # stored before comments kept theirs
    rendered = {}
    if missing:
        for comment in Comment.objects.filter(pk__in=missing):
            rendered[comment.pk] = comment.render_block()
            Comment.objects.filter(pk=comment.pk).update(html=rendered[comment.pk])
    blocks = defaultdict(list)
    for pk, post_id, html in rows:
        blocks[post_id].append(html or rendered[pk])
    return blocks


def cited_quotations(codes, quotations, parts=None):
    """The quotations the post shows, in id order: those its codes embed and those within
    them. `parts`: {id: the quotations within it} among `quotations`, made once per batch
    (its cost then does not grow with the square of its quotations)."""
    if parts is None:
        parts = grouped(quotations.values(), "within_id")
    shown = {pk: quotations[pk] for pk in codes if pk in quotations}
    shown.update((part.pk, part) for pk in codes for part in parts.get(pk, ()))
    return [shown[pk] for pk in sorted(shown)]


def assemble(post, tags, quotations, built=None):
    """Put the page together: the sources quoted, the article and the head (no markdown)."""
    from .structured_data import post_json_ld

    sources = {q.source_id: q.source for q in quotations}
    post.sources_html = render_to_string(
        "blog/post_sources.html", {"sources": list(sources.values())}
    ).strip()
    context = {"post": post, "tags": tags}
    post.listing_html = render_to_string("blog/_post.html", context).strip()
    post.line_html = render_to_string("blog/_post_line.html", {"post": post}).strip()
    post.article_html = render_to_string("blog/_post.html", {**context, "detail": True})
    post.head_html = render_to_string(
        "blog/_post_head.html",
        {
            **context,
            "site": SITE_MARKER,
            "blog_title": settings.BLOG_TITLE,
            "structured_data": post_json_ld(post, SITE_MARKER, tags, quotations, built),
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


def record_citations(posts, cited):
    """Citation rows for what the pages show ({post id: quotations}), each with copies of its
    quotation's speaker and source and of its post's place in lists (see Citation); the
    lists a post joins, leaves or moves in are purged."""
    wanted = {
        (post.pk, quotation.pk): (quotation.speaker_id, quotation.source_id, listed_at(post))
        for post in posts
        for quotation in cited[post.pk]
    }
    found = Citation.objects.filter(post__in=[post.pk for post in posts]).values_list(
        "pk", "post_id", "quotation_id", "speaker_id", "source_id", "listed_at"
    )
    gone, added, changed, touched = [], [], [], set()
    for pk, post_id, quotation_id, *copies in found:
        now = wanted.pop((post_id, quotation_id), None)
        if now == tuple(copies):
            continue
        touched.add((quotation_id, *copies))
        if now is None:
            gone.append(pk)
        else:
            changed.append(Citation(pk=pk, **dict(zip(COPIED, now, strict=True))))
            touched.add((quotation_id, *now))
    for (post_id, quotation_id), now in wanted.items():  # the new ones
        added.append(
            Citation(
                post_id=post_id, quotation_id=quotation_id, **dict(zip(COPIED, now, strict=True))
            )
        )
        touched.add((quotation_id, *now))
    if gone:
        Citation.objects.filter(pk__in=gone).delete()
    Citation.objects.bulk_create(added, ignore_conflicts=True)
    write_rows(Citation, changed, COPIED)
    record_public_from({quotation_id for quotation_id, *_ in touched})
    keys = set()
    for quotation_id, speaker_id, source_id, _ in touched:
        keys |= {f"quotation-page:{quotation_id}", f"source-page:{source_id}"}
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
