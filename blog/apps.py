from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_save, pre_save

        from quotes.models import Quotation
        from quotes.signals import quotations_changed

        from . import receivers
        from .models import Post

        quotations_changed.connect(receivers.rerender_posts_citing, sender=Quotation)
        # Django gives a many-to-many change no other hook than this signal.
        m2m_changed.connect(receivers.tags_changed, sender=Post.tags.through)
        user = get_user_model()
        pre_save.connect(receivers.remember_author_name, sender=user)
        post_save.connect(receivers.author_renamed, sender=user)
