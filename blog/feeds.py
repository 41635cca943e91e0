"""Atom and RSS feeds of posts: all of them, and those of one tag.

An entry carries the whole post as its page shows it (updates on top, body with its
quotations, updates after, sources quoted), links made absolute for feed readers. Its
`updated` is the time of the latest update, so adding one brings the post back to readers.

The documents are written by blog/feed_xml.py: the bytes django.contrib.syndication wrote
here before, in a fraction of its time (its per-attribute lookups and XML writer were most
of a feed's cost).
"""

import copy
from collections import defaultdict
from itertools import pairwise

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import add_domain
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import get_language

from ops.pagecache import tag as page_shows
from ops.prepared import Prepared, padded

from . import feed_xml
from .context_processors import site_url
from .models import Post
from .rendering import fresh
from .views import TAG_BY_SLUG

# The latest ten posts, whole (WordPress's default too): a reader polling every few
# minutes fetches ~170 KB, not 350 KB, and the feed renders in half the time.
ITEMS = 10
# What an entry shows, the only columns loaded: a post row's stored page, its comments and
# its search document (most of its ~80 KB) stay in the database.
IN_FEEDS = ["title", "slug", "published_at", "summary", "body_html", "updates_top_html",
            "updates_appended_html", "sources_html", "last_updated_at", "cache_keys",
            "rendered_with", "author__first_name", "author__last_name"]  # fmt: skip
# The attributes whose relative addresses ("/speakers/…") absolute_urls() completes.
URL_ATTRIBUTES = ("href", "src", "cite")


# A feed's queries, built and compiled once a process (ops/prepared.py): the moment, a tag's
# id or slug and the entries' ids (always ITEMS of them) are their values.
def latest_posts(now, tag=None):
    posts = Post.objects.published(now).only(*IN_FEEDS).select_related("author")
    return (posts if tag is None else posts.filter(tags=tag))[:ITEMS]


LATEST_POSTS = Prepared(latest_posts)
LATEST_POSTS_TAGGED = Prepared(lambda tag, now: latest_posts(now, tag))
TAG_NAMES = Prepared(
    lambda *ids: (
        Post.tags.through.objects.filter(post__in=ids)
        .order_by("tag__name")
        .values_list("post_id", "tag__name")
    )
)


def absolute_urls(html, base):
    """`html` with each relative address of a URL attribute made absolute on `base`. Sanitized
    HTML always double-quotes attributes, so it splits where '="/' occurs and checks each
    place (a third of a regex scan's time; tests/test_feed_xml.py holds it to the regex the
    old feeds used, tests/feed_reference.py)."""
    pieces = html.split('="/')
    if len(pieces) == 1:
        return html
    absolute, relative = f'="{base}/', '="/'
    out = [pieces[0]]
    for before, after in pairwise(pieces):
        out.append(absolute if is_url_attribute(before) and after[:1] != "/" else relative)
        out.append(after)
    return "".join(out)


def is_url_attribute(text):
    """Whether `text` ends with whitespace and an attribute that holds an address."""
    for name in URL_ATTRIBUTES:
        if text.endswith(name):
            space = text[-len(name) - 1 : -len(name)]
            return space.isspace()
    return False


class SiteFeed:
    """A feed view: what it shows (the methods below, as django.contrib.syndication's Feed
    names them) written as Atom or RSS by blog/feed_xml.py."""

    atom = False
    author_name = settings.BLOG_TITLE

    def __call__(self, request, *args, **kwargs):
        # Feed instances are shared by every request: give each request its own copy.
        feed = copy.copy(self)
        feed.base = site_url(request)
        feed.shown = set()  # page-cache keys, added to by items()
        feed.domain, feed.secure = get_current_site(request).domain, request.is_secure()
        obj = feed.get_object(request, *args, **kwargs)
        entries = list(feed.entries(feed.items(obj)))
        channel = feed.channel(obj, request)
        write = feed_xml.atom if self.atom else feed_xml.rss
        response = HttpResponse(
            write(channel, entries),
            content_type=feed_xml.ATOM_TYPE if self.atom else feed_xml.RSS_TYPE,
        )
        # The newest entry's date, as Django's Feed view set it.
        response.headers["Last-Modified"] = http_date(feed_xml.latest(entries).timestamp())
        return page_shows(response, *feed.shown)

    def get_object(self, request, *args, **kwargs):
        return None

    def channel(self, obj, request):
        return feed_xml.Channel(
            title=self.title(obj),
            link=self.url(self.link(obj)),
            feed_url=self.url(request.path),
            description=self.description(obj),
            subtitle=self.description(obj) if self.atom else None,
            language=get_language(),
            author_name=self.author_name,
        )

    def url(self, path):
        """The absolute address of `path`, as Django's Feed view makes a link."""
        return iri_to_uri(add_domain(self.domain, path, self.secure))


class PostsFeed(SiteFeed):
    def title(self, obj):
        return settings.BLOG_TITLE

    def description(self, obj):
        return settings.BLOG_TAGLINE

    def link(self, obj):
        return reverse("blog:index")

    def items(self, tag=None):
        if tag is None:
            posts = LATEST_POSTS(timezone.now())
        else:
            posts = LATEST_POSTS_TAGGED(tag.pk, timezone.now())
            self.shown |= {f"tag:{tag.pk}", f"tag-page:{tag.pk}"}
        posts = fresh(posts)
        self.shown |= {"posts", *(key for post in posts for key in post.cache_keys.split())}
        # The tags' names only, in one query of the link table (a prefetch of whole Tag
        # rows through their manager was a quarter of the feed's time).
        names = defaultdict(list)
        ids = [post.pk for post in posts]
        for post_id, name in TAG_NAMES(*padded(ids, ITEMS)):
            names[post_id].append(name)
        for post in posts:
            post.tag_names = names[post.pk]
        return posts

    def entries(self, posts):
        for post in posts:
            html = self.full_html(post)
            yield feed_xml.Entry(
                title=post.title,
                link=self.url(post.get_absolute_url()),
                # RSS readers show the description; Atom has the full entry in <content>.
                description=escape(post.summary) if self.atom else html,
                content=html if self.atom else None,
                published=post.published_at,
                updated=max(filter(None, [post.published_at, post.last_updated_at])),
                # The display name, never the login: without one the feed's own author stands.
                author_name=post.author.get_full_name() or None,
                categories=post.tag_names,
            )

    def full_html(self, post):
        parts = [post.updates_top_html, post.body_html, post.updates_appended_html]
        return absolute_urls("\n".join([*filter(None, parts), post.sources_html]), self.base)


class PostsAtomFeed(PostsFeed):
    atom = True


class TagFeed(PostsFeed):
    def get_object(self, request, slug):
        return TAG_BY_SLUG.first_or_404(slug, missing="No tag at this address.")

    def title(self, tag):
        return f"{settings.BLOG_TITLE}: posts tagged {tag.name}"

    def description(self, tag):
        return f"Posts tagged {tag.name} on {settings.BLOG_TITLE}."

    def link(self, tag):
        return tag.get_absolute_url()


class TagAtomFeed(TagFeed):
    atom = True
