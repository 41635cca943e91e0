from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Post, Tag


class PostSitemap(Sitemap):
    def items(self):
        return Post.objects.published().only("slug", "published_at", "last_updated_at")

    def lastmod(self, post):
        # An update or correction is a change readers (and search engines) should see.
        return post.last_updated_at or post.published_at


class TagSitemap(Sitemap):
    def items(self):
        # Filter then annotate: the latest of the tag's *published* posts.
        return (
            Tag.objects.filter(posts__in=Post.objects.published())
            .annotate(latest=Max("posts__published_at"))
            .order_by("name")
        )

    def lastmod(self, tag):
        return tag.latest


class PagesSitemap(Sitemap):
    def items(self):
        return ["blog:index", "blog:tags", "quotes:speakers", "quotes:sources"]

    def location(self, name):
        return reverse(name)
