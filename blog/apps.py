from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        from quotes.models import Quotation
        from quotes.signals import quotations_changed

        from .receivers import rerender_posts_citing

        quotations_changed.connect(rerender_posts_citing, sender=Quotation)
