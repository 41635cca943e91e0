"""What each change means for stored pages and cached pages: the dependency rules.

A post's stored page shows its body and updates, its tags, its author's name and the
quotations it embeds; an embedded quotation shows its speaker, its source and, for an
excerpt, the quotations within it (each with its speaker). The comments block shows the
approved comments. Cached pages carry keys naming what they show (see ops/pagecache.py):

    post:<id>            a post's content: its page and every list showing it
    comments:<id>        its comments or their count: its page, the front page
    quotation:<id>, speaker:<id>, source:<id>, tag:<id>, author:<id>
                         pages showing that record's content
    quotation-page:<id>, speaker-page:<id>, source-page:<id>, tag-page:<id>
                         who is on that page's lists (citing posts, quotations)
    posts, quotations, speakers, sources, tags, search
                         the site-wide lists (front page, archives, feeds, sitemap, ...)
    all                  every page
"""

from django.apps import apps
from django.db.models import Q

# Post fields that move a post in or out of lists, or change its address in them.
POST_PLACE = {"status", "published_at", "slug"}
# How many posts have their comments block rendered at once; beyond, the worker does it.
COMMENTS_RENDERED_AT_ONCE = 20


def record(batch, instance, *, created, deleted, fields):
    label = instance._meta.label_lower
    handler = HANDLERS.get(label)
    if handler is not None:
        handler(batch, instance, created=created, deleted=deleted, fields=fields)


def post_changed(batch, post, *, created, deleted, fields):
    if deleted:
        batch.purge(*post_keys(post.pk), "posts", "search", "tags")
        batch.purge(*(page_key(key) for key in stored_keys(post)))
        return
    if fields is not None and not fields:
        return  # saved as it was
    batch.post(post.pk)
    batch.purge(f"post:{post.pk}", "search")
    if created or fields is None or fields & POST_PLACE:
        # In or out of the lists: the front page, archives, feeds, and the pages of
        # what it cites and its tags (their lists of posts).
        batch.purge("posts", "tags", *(page_key(key) for key in stored_keys(post)))


def update_changed(batch, update, *, created, deleted, fields):
    batch.post(update.post_id)
    batch.purge(f"post:{update.post_id}", "search")


def tag_changed(batch, tag, *, created, deleted, fields):
    Post = apps.get_model("blog", "Post")
    if created:
        batch.purge("tags")
        return
    # Tag.save() reports no fields: any save of a tag may rename it.
    # Its posts show its name; a deleted tag's rows are still there (pre_delete).
    batch.mark_stale(Post, Post.objects.filter(tags=tag.pk).values("pk"))
    batch.purge(f"tag:{tag.pk}", f"tag-page:{tag.pk}", "tags", "posts")


def tagging_changed(batch, post_id, tag_ids):
    """Tags added to or taken from a post (the many-to-many, either side)."""
    batch.post(post_id)
    batch.purge(f"post:{post_id}", "tags", *(f"tag-page:{pk}" for pk in tag_ids))


def quotation_changed(batch, quotation, *, created, deleted, fields):
    if fields == {"is_public"}:
        visibility_changed(batch, quotation)
        return
    before = getattr(quotation, "_loaded", {})
    excerpts = {quotation.within_id, before.get("within_id")} - {None}
    speakers = {quotation.speaker_id, before.get("speaker_id")} - {None}
    sources = {quotation.source_id, before.get("source_id")} - {None}
    batch.purge(
        f"quotation:{quotation.pk}",
        f"quotation-page:{quotation.pk}",
        *(f"speaker-page:{pk}" for pk in speakers),
        *(f"source-page:{pk}" for pk in sources),
        "quotations",
        "search",
    )
    if not deleted:
        batch.quotation(quotation.pk)
    # The excerpts it is (or was) part of list it with its speaker.
    for pk in excerpts:
        batch.quotation(pk)
    if created and not excerpts:
        return  # nothing shows a new quotation yet
    shown = [pk for pk in [quotation.pk, *excerpts] if pk is not None]
    batch.mark_stale(apps.get_model("blog", "Post"), posts_citing(Q(pk__in=shown)))
    if quotation.within_id and quotation.within_id != before.get("within_id"):
        protect_in_excerpt(quotation)


def speaker_changed(batch, speaker, *, created, deleted, fields):
    attributed_changed(batch, speaker, "speaker", created, deleted, fields)


def source_changed(batch, source, *, created, deleted, fields):
    attributed_changed(batch, source, "source", created, deleted, fields)


def attributed_changed(batch, record, kind, created, deleted, fields):
    """A speaker or source: every quotation attributed to it shows it, and every excerpt
    holding one, and every post showing any of those."""
    batch.purge(f"{kind}s", "search")
    if created:
        return
    if fields is None or "is_public" in fields:  # on or off the site (QuerySet.public())
        batch.purge(f"{kind}:{record.pk}", f"{kind}-page:{record.pk}")
    # Every tracked field shows on pages but the public switch (handled above).
    if not deleted and fields is not None and not fields - {"is_public"}:
        return
    Quotation = apps.get_model("quotes", "Quotation")
    Post = apps.get_model("blog", "Post")
    attributed = Q(**{f"{kind}_id": record.pk})
    # The excerpts holding one: a subquery on within_id, not a join over every quotation.
    excerpts = Quotation.objects.filter(attributed, within__isnull=False).values("within_id")
    holding = attributed | Q(pk__in=excerpts)
    batch.mark_stale(Quotation, Quotation.objects.filter(holding).values("pk"))
    batch.mark_stale(Post, posts_citing(holding))
    batch.purge(f"{kind}:{record.pk}", f"{kind}-page:{record.pk}")


def visibility_changed(batch, quotation):
    """Marked public on its own, or no longer: who lists it changes, not what it shows."""
    batch.purge(
        f"quotation:{quotation.pk}",
        f"quotation-page:{quotation.pk}",
        f"speaker-page:{quotation.speaker_id}",
        f"source-page:{quotation.source_id}",
        "quotations",
        "search",
    )


def author_renamed(batch, user_id):
    Post = apps.get_model("blog", "Post")
    batch.mark_stale(Post, Post.objects.filter(author_id=user_id).values("pk"))
    batch.purge(f"author:{user_id}")


def comment_changed(batch, comment, *, created, deleted, fields):
    if deleted and comment.was_public:
        batch.post(comment.post_id, body=False)


def posts_citing(quotations):
    """Ids of the posts citing the quotations matched by the Q object `quotations`."""
    Citation = apps.get_model("blog", "Citation")
    Quotation = apps.get_model("quotes", "Quotation")
    cited = Quotation.objects.filter(quotations).values("pk")
    return Citation.objects.filter(quotation__in=cited).values("post_id")


def protect_in_excerpt(quotation):
    """Posts showing an excerpt show the quotations within it: they cite them at once, so
    none can be deleted before the worker renders those posts again."""
    from blog.models import Citation, record_public_from

    citing = Citation.objects.filter(quotation_id=quotation.within_id).values_list(
        "post_id", "listed_at"
    )
    copies = {"speaker_id": quotation.speaker_id, "source_id": quotation.source_id}
    Citation.objects.bulk_create(
        [
            Citation(post_id=pk, quotation_id=quotation.pk, listed_at=listed_at, **copies)
            for pk, listed_at in citing
        ],
        ignore_conflicts=True,
    )
    record_public_from([quotation.pk])


def post_keys(pk):
    return [f"post:{pk}", f"comments:{pk}"]


def stored_keys(post):
    """The keys a post's stored page carries (what it shows), read from its row: an
    instance loaded earlier may hold keys a renderer has replaced since."""
    Post = apps.get_model("blog", "Post")
    keys = Post.objects.filter(pk=post.pk).values_list("cache_keys", flat=True).first()
    return (keys or "").split()


def page_key(key):
    """ "speaker:5" -> "speaker-page:5": the page listing what cites it, for a membership change."""
    kind, _, pk = key.partition(":")
    if kind in {"quotation", "speaker", "source", "tag"}:
        return f"{kind}-page:{pk}"
    return key


HANDLERS = {
    "blog.post": post_changed,
    "blog.update": update_changed,
    "blog.tag": tag_changed,
    "blog.comment": comment_changed,
    "quotes.quotation": quotation_changed,
    "quotes.speaker": speaker_changed,
    "quotes.source": source_changed,
}


def apply(batch):
    """Act on a batch: render what was edited, mark the rest stale, enqueue, purge."""
    from django.db import transaction

    from blog import rendering as post_rendering
    from ops import pagecache
    from quotes import rendering as quotation_rendering

    from . import tasks

    for pk in sorted(batch.render_quotations):
        quotation_rendering.render_quotation(pk)
    marked = 0
    for model, ids in batch.stale:
        marked += model.objects.filter(pk__in=ids).exclude(rendered_with=0).update(rendered_with=0)
    comments_only = [pk for pk, body in batch.render_posts.items() if not body]
    at_once = {pk for pk, body in batch.render_posts.items() if body}
    at_once |= set(comments_only[:COMMENTS_RENDERED_AT_ONCE])
    later = comments_only[COMMENTS_RENDERED_AT_ONCE:]
    if later:
        Post = apps.get_model("blog", "Post")
        marked += Post.objects.filter(pk__in=later).update(rendered_with=0)
    for pk in sorted(at_once):
        post_rendering.render_post(pk, body=batch.render_posts[pk])
    if marked:
        tasks.enqueue_rendering()
    if batch.keys:
        keys = frozenset(batch.keys)
        transaction.on_commit(lambda: pagecache.purge(keys))
