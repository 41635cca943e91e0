from .models import Post
from .search import index_quotations


def rerender_posts_citing(sender, quotation_ids, **kwargs):
    """A quotation, its speaker or its source changed: every post showing it renders again."""
    index_quotations(quotation_ids)
    for post in Post.objects.filter(quotations__in=quotation_ids).distinct():
        post.rerender_all()


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Tags added to or removed from posts: their stored pages show the tags."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        posts = [instance]
    elif action == "post_clear":
        posts = []  # a tag losing all its posts is being deleted with them or renamed away
    else:
        posts = Post.objects.filter(pk__in=pk_set)
    for post in posts:
        post.refresh_fragments()


def remember_author_name(sender, instance, **kwargs):
    instance._name_before = (
        sender.objects.filter(pk=instance.pk).values_list("first_name", "last_name").first()
        if instance.pk
        else None
    )


def author_renamed(sender, instance, created, **kwargs):
    """Bylines are stored in the posts' pages: a new display name renders them again."""
    if created or getattr(instance, "_name_before", None) in {
        None,
        (instance.first_name, instance.last_name),
    }:
        return
    for post in Post.objects.filter(author=instance):
        post.refresh_fragments()


def remember_tagged_posts(sender, instance, **kwargs):
    instance._tagged_post_ids = list(instance.posts.values_list("pk", flat=True))


def tag_deleted(sender, instance, **kwargs):
    """A deleted tag leaves its posts without a signal of their own (bulk deletes too)."""
    for post in Post.objects.filter(pk__in=getattr(instance, "_tagged_post_ids", [])):
        post.refresh_fragments()
