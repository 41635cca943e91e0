from django.apps import AppConfig


class FreshnessConfig(AppConfig):
    name = "freshness"
    verbose_name = "Freshness of stored and cached pages"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_migrate,
            post_save,
            pre_delete,
            pre_save,
        )

        from blog.models import Comment, Post, Tag
        from quotes.models import Quotation, Source, Speaker

        from . import receivers

        # Django gives a many-to-many change and a bulk delete no other hook than signals.
        m2m_changed.connect(receivers.tagging_changed, sender=Post.tags.through)
        for model in (Post, Tag):  # their rows say what shows them: read before they go
            pre_delete.connect(receivers.deleted, sender=model)
        for model in (Comment, Quotation, Speaker, Source):  # render what is left after
            post_delete.connect(receivers.deleted, sender=model)
        user = get_user_model()
        pre_save.connect(receivers.remember_author_name, sender=user)
        post_save.connect(receivers.author_renamed, sender=user)
        for model in (Post, Quotation, Speaker, Source, Tag, Comment):
            post_save.connect(receivers.loaded_raw, sender=model)
        post_migrate.connect(receivers.after_migrate, sender=self)
