"""Signal receivers for the changes models cannot report themselves."""

from django.db import transaction

import freshness

from . import rules
from .tasks import enqueue_rendering


def tagging_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Tags added to or removed from posts, from either side of the many-to-many."""
    if action not in {"pre_clear", "post_add", "post_remove", "post_clear"}:
        return
    if action == "pre_clear":
        # Which tags (or posts) are being cleared is known only before.
        instance._cleared = set(
            (instance.posts if reverse else instance.tags).values_list("pk", flat=True)
        )
        return
    changed_ids = pk_set if pk_set is not None else getattr(instance, "_cleared", set())
    with freshness.batch() as batch:
        if reverse:  # tag.posts.add(...): the posts changed
            for post_id in changed_ids:
                rules.tagging_changed(batch, post_id, [instance.pk])
        else:
            rules.tagging_changed(batch, instance.pk, changed_ids)


def deleted(sender, instance, **kwargs):
    freshness.changed(instance, deleted=True)


def remember_author_name(sender, instance, **kwargs):
    instance._name_before = (
        sender.objects.filter(pk=instance.pk).values_list("first_name", "last_name").first()
        if instance.pk
        else None
    )


def author_renamed(sender, instance, created, raw=False, **kwargs):
    """Bylines are stored in the posts' pages: a new display name renders them again."""
    before = getattr(instance, "_name_before", None)
    if created or raw or before in {None, (instance.first_name, instance.last_name)}:
        return
    with freshness.batch() as batch:
        rules.author_renamed(batch, instance.pk)


def loaded_raw(sender, instance, raw=False, **kwargs):
    """`loaddata` writes rows as they were dumped: no cached page can be trusted after, and
    what a dump does not hold (SQLite's search index) is derived again: the loaded posts
    and quotations are stale, rendered on read and by the worker."""
    if not raw:
        return
    freshness.purge("all")
    if hasattr(sender, "rendered_with"):
        sender.objects.filter(pk=instance.pk).update(rendered_with=0)
        connection = transaction.get_connection()
        if not getattr(connection, "render_after_load", False):  # once per load
            connection.render_after_load = True
            transaction.on_commit(lambda: rendering_enqueued(connection))


def rendering_enqueued(connection):
    connection.render_after_load = False
    enqueue_rendering()


def after_migrate(sender, **kwargs):
    """A release may add what stored pages hold (a new RENDER_VERSION): render them all."""
    from django.db import connection

    from blog.models import RENDER_VERSION, Post

    if "blog_post" not in connection.introspection.table_names():
        return
    if Post.objects.filter(rendered_with__lt=RENDER_VERSION).exists():
        enqueue_rendering()
