from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_save,
            pre_delete,
            pre_save,
        )

        from quotes.models import Quotation
        from quotes.signals import quotations_changed

        from . import receivers
        from .models import Post, Tag

        quotations_changed.connect(receivers.rerender_posts_citing, sender=Quotation)
        # Django gives a many-to-many change no other hook than this signal.
        m2m_changed.connect(receivers.tags_changed, sender=Post.tags.through)
        # Deleting a tag, even in bulk from the admin, removes it from stored pages.
        pre_delete.connect(receivers.remember_tagged_posts, sender=Tag)
        post_delete.connect(receivers.tag_deleted, sender=Tag)
        user = get_user_model()
        pre_save.connect(receivers.remember_author_name, sender=user)
        post_save.connect(receivers.author_renamed, sender=user)
