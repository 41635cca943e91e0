from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from blog.models import Post, Tag, Update
        from quotes.models import Quotation, Source, Speaker

        from . import checks, pagecache  # noqa: F401 - checks registers itself

        # What public pages show. Comments reach pages through their post, which is saved
        # whenever a comment's public state changes; a pending comment invalidates nothing.
        for model in (Post, Update, Tag, Quotation, Speaker, Source):
            post_save.connect(pagecache.content_changed, sender=model)
            post_delete.connect(pagecache.content_changed, sender=model)
        m2m_changed.connect(pagecache.content_changed, sender=Post.tags.through)
