from django.conf import settings


def blog(request):
    return {"blog_title": settings.BLOG_TITLE, "blog_tagline": settings.BLOG_TAGLINE}
