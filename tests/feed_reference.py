"""The feeds as django.contrib.syndication wrote them before blog/feed_xml.py (blog/feeds.py
and blog/quotation_feeds.py at that time, unchanged but for imports and names): the
reference the new documents are compared with, byte for byte (tests/test_feed_xml.py)."""

import copy
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator

from blog.context_processors import site_url
from blog.models import Post, Tag
from blog.rendering import fresh
from ops.pagecache import tag as page_shows
from quotes.models import Source, Speaker
from quotes.rendering import fresh as fresh_quotations
from quotes.rendering import shown_by

# The latest ten posts, whole (WordPress's default too): a reader polling every few
# minutes fetches ~170 KB, not 350 KB, and the feed renders in half the time.
ITEMS = 10
# What an entry never shows: left in the database (a post row's stored page and its
# comments are most of its ~80 KB; its search document is a row of its own).
NOT_IN_FEEDS = ["body", "excerpt", "comments_html", "article_html", "listing_html",
                "head_html"]  # fmt: skip
# Relative addresses in stored HTML ("/speakers/…"); sanitized HTML always double-quotes.
RELATIVE_URL = re.compile(r'(\s(?:href|src|cite)=")/(?!/)')


def absolute_urls(html, base):
    return RELATIVE_URL.sub(rf"\1{base}/", html)


class AtomWithContent(Atom1Feed):
    """Atom with the full entry in <content>; Django's Atom1Feed writes only <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class SiteFeed(Feed):
    """A feed that knows the request it answers, to make stored HTML's links absolute."""

    feed_type = Rss201rev2Feed
    author_name = settings.BLOG_TITLE

    def __call__(self, request, *args, **kwargs):
        # Feed instances are shared by every request: give each request its own copy.
        feed = copy.copy(self)
        feed.base = site_url(request)
        feed.shown = set()  # page-cache keys, added to by items() and get_object()
        response = Feed.__call__(feed, request, *args, **kwargs)
        return page_shows(response, *feed.shown)

    def item_extra_kwargs(self, item):
        if issubclass(self.feed_type, Atom1Feed):
            return {"content": self.full_html(item)}
        return {}

    def item_description(self, item):
        # RSS readers show the description; Atom has the full entry in <content>.
        if issubclass(self.feed_type, Atom1Feed):
            return escape(self.item_summary(item))
        return self.full_html(item)


class PostsFeed(SiteFeed):
    title = settings.BLOG_TITLE
    description = settings.BLOG_TAGLINE

    def link(self):
        return reverse("blog:index")

    def items(self, tag=None):
        posts = (
            Post.objects.published()
            .defer(*NOT_IN_FEEDS)
            .select_related("author")
            .prefetch_related("tags")
        )
        if tag is not None:
            posts = posts.filter(tags=tag)
            self.shown |= {f"tag:{tag.pk}", f"tag-page:{tag.pk}"}
        posts = fresh(list(posts[:ITEMS]))
        self.shown |= {"posts", *(key for post in posts for key in post.cache_keys.split())}
        return posts

    def item_title(self, post):
        return post.title

    def item_summary(self, post):
        return post.summary

    def full_html(self, post):
        parts = [post.updates_top_html, post.body_html, post.updates_appended_html]
        return absolute_urls("\n".join([*filter(None, parts), post.sources_html]), self.base)

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return max(filter(None, [post.published_at, post.last_updated_at]))

    def item_author_name(self, post):
        # The display name, never the login: without one the feed's own author stands.
        return post.author.get_full_name() or None

    def item_categories(self, post):
        return [tag.name for tag in post.tags.all()]


class PostsAtomFeed(PostsFeed):
    feed_type = AtomWithContent
    subtitle = PostsFeed.description


class TagFeed(PostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"{settings.BLOG_TITLE}: posts tagged {tag.name}"

    def description(self, tag):
        return f"Posts tagged {tag.name} on {settings.BLOG_TITLE}."

    def link(self, tag):
        return tag.get_absolute_url()


class TagAtomFeed(TagFeed):
    feed_type = AtomWithContent

    def subtitle(self, tag):
        return self.description(tag)


QUOTATION_ITEMS = 30


class QuotationsFeed(SiteFeed):
    """Each entry is one quotation as a post shows it: words, speaker, source, date."""

    def items(self, obj):
        quotations = obj.quotations.public().with_attribution()
        quotations = quotations.order_by("-created_at", "-pk")[:QUOTATION_ITEMS]
        quotations = fresh_quotations(list(quotations))
        kind = obj._meta.model_name
        self.shown |= {f"{kind}:{obj.pk}", f"{kind}-page:{obj.pk}", *shown_by(quotations)}
        return quotations

    def link(self, obj):
        return obj.get_absolute_url()

    def item_title(self, quotation):
        words = Truncator(quotation.unquoted_text).words(12)
        return f"“{words}” — {quotation.attribution_name}"

    def item_summary(self, quotation):
        return quotation.plain_text

    def full_html(self, quotation):
        return absolute_urls(quotation.block_html, self.base)

    def item_pubdate(self, quotation):
        return quotation.created_at

    def item_updateddate(self, quotation):
        return quotation.modified_at

    def item_categories(self, quotation):
        return [quotation.source.display_name]


class SpeakerFeed(QuotationsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Speaker.objects.public(), slug=slug)

    def title(self, speaker):
        return f"{settings.BLOG_TITLE}: quotations of {speaker.name}"

    def description(self, speaker):
        who = f"{speaker.name}, {speaker.description}" if speaker.description else speaker.name
        return f"Quotations of {who}, each with its source."


class SpeakerAtomFeed(SpeakerFeed):
    feed_type = AtomWithContent

    def subtitle(self, speaker):
        return self.description(speaker)


class SourceFeed(QuotationsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Source.objects.public(), slug=slug)

    def title(self, source):
        return f"{settings.BLOG_TITLE}: quotations from “{source.title}”"

    def description(self, source):
        return f"Quotations taken from {source}."


class SourceAtomFeed(SourceFeed):
    feed_type = AtomWithContent

    def subtitle(self, source):
        return self.description(source)
