from django.shortcuts import get_object_or_404, render

from blog.models import Citation, Post
from blog.paging import KeysetPage
from blog.views import page_of
from ops.pagecache import tag as page_shows

from .models import Quotation, Source, Speaker
from .rendering import fresh, shown_by

QUOTATIONS_PER_PAGE = 20
CITING_POSTS_PER_PAGE = 20


def citing_posts(request, **lookup):
    """A page of the published posts citing the quotations matched by `lookup`, newest first."""
    # A subquery rather than a join: no DISTINCT over every citation of a busy speaker.
    cited = Citation.objects.filter(**lookup).values("post_id")
    posts = Post.objects.published().filter(pk__in=cited).only("title", "slug", "published_at")
    # Keyset paging (?before=): the oldest page of a much-quoted speaker costs what the first does.
    return KeysetPage(request, posts, CITING_POSTS_PER_PAGE)


def citing_keys(posts):
    return [f"post:{post.pk}" for post in posts]


def quotation_detail(request, pk):
    quotation = get_object_or_404(Quotation.objects.with_attribution(), pk=pk)
    excerpt = quotation.within and Quotation.objects.with_attribution().get(pk=quotation.within_id)
    shown = fresh([quotation, *([excerpt] if excerpt else [])])
    context = {
        "quotation": quotation,
        "excerpt": excerpt,
        "posts": citing_posts(request, quotation=quotation),
    }
    response = render(request, "quotes/quotation_detail.html", context)
    keys = [f"quotation-page:{pk}", *shown_by(shown), *citing_keys(context["posts"])]
    return page_shows(response, *keys)


def speaker_detail(request, slug):
    speaker = get_object_or_404(Speaker, slug=slug)
    quotations = speaker.quotations.select_related("source").order_by("-said_on", "-pk")
    page = page_of(request, quotations, QUOTATIONS_PER_PAGE)
    page.object_list = fresh(list(page.object_list))
    context = {
        "speaker": speaker,
        "page": page,
        "posts": citing_posts(request, quotation__speaker=speaker),
    }
    response = render(request, "quotes/speaker_detail.html", context)
    keys = [f"speaker:{speaker.pk}", f"speaker-page:{speaker.pk}", *shown_by(page.object_list)]
    return page_shows(response, *keys, *citing_keys(context["posts"]))


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    quotations = source.quotations.select_related("speaker", "source").order_by("pk")
    page = page_of(request, quotations, QUOTATIONS_PER_PAGE)
    page.object_list = fresh(list(page.object_list))
    context = {
        "source": source,
        "page": page,
        "posts": citing_posts(request, quotation__source=source),
    }
    response = render(request, "quotes/source_detail.html", context)
    keys = [f"source:{source.pk}", f"source-page:{source.pk}", *shown_by(page.object_list)]
    return page_shows(response, *keys, *citing_keys(context["posts"]))


def speaker_list(request):
    speakers = Speaker.objects.order_by("name")
    response = render(
        request, "quotes/speaker_list.html", {"page": page_of(request, speakers, 100)}
    )
    return page_shows(response, "speakers")


def source_list(request):
    sources = Source.objects.order_by("-published_on", "title")
    response = render(request, "quotes/source_list.html", {"page": page_of(request, sources, 100)})
    return page_shows(response, "sources")
