from .models import Post


def rerender_posts_citing(sender, quotation_ids, **kwargs):
    """A quotation, its speaker or its source changed: every post showing it renders again."""
    for post in Post.objects.filter(quotations__in=quotation_ids).distinct():
        post.rerender_all()
