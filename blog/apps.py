from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        from django.db.models.signals import post_delete, pre_delete

        from .models import Post
        from .models.post import after_post_deleted, before_post_deleted

        # Quotations' copy of when they became public (record_public_from) follows the
        # citations a deleted post takes with it.
        pre_delete.connect(before_post_deleted, sender=Post)
        post_delete.connect(after_post_deleted, sender=Post)
