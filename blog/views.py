import datetime
import functools

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe

from ops.pagecache import tag as page_shows
from ops.prepared import Prepared, padded
from quotes.models import Quotation
from quotes.rendering import LISTED as LISTED_QUOTATION
from quotes.rendering import fresh as quotation_fresh

from . import search as searching
from .comments.views import comment_context
from .context_processors import site_url
from .models import Post, Tag
from .paging import CappedCount, Key, Keyset, KeysetPage, PreparedList, dump_text, load_text
from .rendering import fresh

POSTS_PER_PAGE = 10
TAGS_PER_PAGE = 100
TAG_COUNT_CAP = 100
TAG_LIST = Keyset(Key("name", dump=dump_text, load=load_text))  # names are unique
SEARCH_QUOTATIONS_PER_PAGE = 10
LISTED = ["title", "slug", "published_at", "summary", "line_html", "rendered_with"]
# A page of search results by their ids (always a page's length of them), compiled once.
# Posts are ranked by the copies beside their documents (blog.SearchDocument); the page
# shows those the post rows say are published.
SEARCH_POSTS = Prepared(
    lambda now, *ids: Post.objects.published(now).only(*LISTED).filter(pk__in=ids)
)
SEARCH_QUOTATIONS = Prepared(
    lambda *ids: Quotation.objects.only(*LISTED_QUOTATION).filter(pk__in=ids)
)


# The lists every uncached front and tag page reads, compiled once a process
# (ops/prepared.py); the moment and the tag are their values.
FRONT_PAGE = PreparedList(lambda now: Post.objects.published(now).for_listing())
TAGGED = PreparedList(lambda tag, now: Post.objects.published(now).filter(tags=tag).only(*LISTED))
TAG_BY_SLUG = Prepared(lambda slug: Tag.objects.filter(slug=slug)[:1])


def local_range(start, end):
    """Aware datetimes bounding [start, end) in the blog's time zone, for index-friendly lookups."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.datetime.combine(start, datetime.time()), zone),
        timezone.make_aware(datetime.datetime.combine(end, datetime.time()), zone),
    )


def page_of(request, queryset, per_page=POSTS_PER_PAGE, param="page"):
    """The requested page; an out-of-range or malformed page number is a 404, not a 500."""
    try:
        return Paginator(queryset, per_page, allow_empty_first_page=True).page(
            request.GET.get(param, 1)
        )
    except InvalidPage as error:  # out of range, or a page number that is not one
        raise Http404("No such page.") from error


def listed_keys(posts):
    """Page-cache keys of a page listing `posts` by title and summary."""
    return ["posts", *(f"post:{post.pk}" for post in posts)]


def index(request):
    # Keyset paging (?before=): no COUNT of every post, and an old page costs what page 1 does.
    page = KeysetPage(request, FRONT_PAGE.bind(timezone.now()), POSTS_PER_PAGE)
    posts = page.object_list = fresh(page.object_list)
    # The blog's date headers ("Tuesday, March 03, 2009"), once per day.
    previous = None
    for post in posts:
        day = timezone.localtime(post.published_at).date()
        post.date_header = f"{day:%A, %B %d, %Y}" if day != previous else ""
        previous = day
    response = render(request, "blog/index.html", {"page": page, "posts": posts})
    # The front page shows each post whole, with its comment count.
    shown = {key for post in posts for key in post.cache_keys.split()}
    return page_shows(response, "posts", *shown, *(f"comments:{post.pk}" for post in posts))


def post_detail(request, year, month, day, slug):
    try:
        day_start = datetime.date(int(year), int(month), int(day))
    except ValueError as error:
        raise Http404("No such date.") from error
    bounds = local_range(day_start, day_start + datetime.timedelta(days=1))
    # One query: the page is stored on the row, put together when the post changed.
    post = Post.objects.page_at(slug, *bounds)
    if post is None:
        raise Http404("No post at this address.")
    if post.is_stale:  # changed since its page was stored, and its job has not run yet
        post = fresh([post])[0]
    context = {"post": post, "head": mark_safe(post.head_for(site_url(request)))}  # noqa: S308 - stored template output
    if not post.is_public:
        # Those who may edit posts preview drafts and scheduled posts (not moderators);
        # readers never learn they exist.
        if not (request.user.is_staff and request.user.has_perm("blog.change_post")):
            raise Http404("No post at this address.")
        response = render(request, "blog/post_detail.html", {**context, "preview": True})
        add_never_cache_headers(response)
        return response
    response = render(request, "blog/post_detail.html", {**context, **comment_context(post)})
    return page_shows(response, *post.cache_keys.split(), f"comments:{post.pk}")


# The tag index's queries, compiled once a process (ops/prepared.py): tags with a published
# post by name (an EXISTS each), and their unpublished posts.
TAGS_WITH_POSTS = PreparedList(
    lambda now: Tag.objects.filter(Exists(Post.objects.published(now).filter(tags=OuterRef("pk"))))
)
TAG_ENTRIES = Post.tags.through.objects
UNPUBLISHED_TAGGED = Prepared(
    lambda now, *ids: (
        TAG_ENTRIES.filter(tag_id__in=ids, post__in=Post.objects.unpublished(now).values("pk"))
        .values("tag_id")
        .annotate(n=Count("pk"))
        .values_list("tag_id", "n")
    )
)


@functools.lru_cache(maxsize=16)
def tag_entries_up_to(limit):
    """Each tag's entries in the (tag, post) index, counted up to `limit` (LIMIT is written
    into the SQL, so one compiled query a limit)."""
    entries = TAG_ENTRIES.filter(tag_id=OuterRef("pk")).values("post_id")[:limit]
    return Prepared(
        lambda *ids: (
            Tag.objects.filter(pk__in=ids).annotate(n=CappedCount(entries)).values_list("pk", "n")
        )
    )


def tag_list(request):
    """Tags with published posts, by name, paged; counts stop at TAG_COUNT_CAP (shown as 100+)."""
    now = timezone.now()
    page = KeysetPage(request, TAGS_WITH_POSTS.bind(now), TAGS_PER_PAGE, keyset=TAG_LIST)
    counts = published_counts([tag.pk for tag in page.object_list], now)
    for tag in page.object_list:
        tag.post_count = counts.get(tag.pk, 0)
    context = {"page": page, "tags": page.object_list, "cap": TAG_COUNT_CAP}
    return page_shows(render(request, "blog/tag_list.html", context), "tags", "posts")


def published_counts(tag_ids, now):
    """Each tag's published posts at `now`, counted up to TAG_COUNT_CAP + 1: {tag id: n}.

    Counted as its entries in the (tag, post) index less its drafts and scheduled posts,
    which a blog has few of. Checking that each of 101 posts is published cost a probe of
    the posts' index each, 5,050 for 50 large tags (6 ms); reading 101 entries of one index
    range costs a few microseconds. A tag holding n unpublished posts is read up to 101 + n
    entries, so the difference stays exact up to the cap."""
    if not tag_ids:
        return {}
    ids = padded(tag_ids, TAGS_PER_PAGE)
    held = dict(UNPUBLISHED_TAGGED(now, *ids))
    counted = tag_entries_up_to(TAG_COUNT_CAP + 1 + max(held.values(), default=0))(*ids)
    return {pk: min(n - held.get(pk, 0), TAG_COUNT_CAP + 1) for pk, n in counted}


def tag_detail(request, slug):
    tag = TAG_BY_SLUG.first_or_404(slug, missing="No tag at this address.")
    page = KeysetPage(request, TAGGED.bind(tag.pk, timezone.now()), POSTS_PER_PAGE)
    page.object_list = fresh(page.object_list)
    response = render(request, "blog/tag_detail.html", {"tag": tag, "page": page})
    keys = listed_keys(page.object_list)
    return page_shows(response, f"tag:{tag.pk}", f"tag-page:{tag.pk}", *keys)


def search(request):
    """Posts and quotations matching ?q=, in two groups, each paged on its own."""
    raw = request.GET.get("q", "")
    query = searching.clean_query(raw)
    context = {
        "query": query,
        "shortened": len(raw) > searching.MAX_QUERY_CHARS,
        "max_ranked": searching.MAX_RANKED if searching.uses_full_text() else None,
    }
    if query:
        now = timezone.now()
        post_ids, quotation_ids = searching.ranked_ids(query, now)
        posts = page_of(request, post_ids)
        posts.object_list = fresh(
            searching.load(SEARCH_POSTS, posts.object_list, POSTS_PER_PAGE, now)
        )
        quotations = page_of(request, quotation_ids, SEARCH_QUOTATIONS_PER_PAGE, "qpage")
        quotations.object_list = quotation_fresh(
            searching.load(SEARCH_QUOTATIONS, quotations.object_list, SEARCH_QUOTATIONS_PER_PAGE)
        )
        context |= {"posts": posts, "quotations": quotations}
    # Any post or quotation may start or stop matching: "search" is purged with each.
    return page_shows(render(request, "blog/search.html", context), "search", "posts")
