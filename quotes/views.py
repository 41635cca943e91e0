from django.shortcuts import get_object_or_404, render

from blog.models import Citation, Post
from blog.paging import KeysetPage
from blog.views import page_of

from .models import Quotation, Source, Speaker

QUOTATIONS_PER_PAGE = 20
CITING_POSTS_PER_PAGE = 20


def citing_posts(request, **lookup):
    """A page of the published posts citing the quotations matched by `lookup`, newest first."""
    # A subquery rather than a join: no DISTINCT over every citation of a busy speaker.
    cited = Citation.objects.filter(**lookup).values("post_id")
    posts = Post.objects.published().filter(pk__in=cited).only("title", "slug", "published_at")
    # Keyset paging (?before=): the oldest page of a much-quoted speaker costs what the first does.
    return KeysetPage(request, posts, CITING_POSTS_PER_PAGE)


def quotation_detail(request, pk):
    quotation = get_object_or_404(Quotation.objects.with_attribution(), pk=pk)
    context = {
        "quotation": quotation,
        "excerpt": quotation.within
        and Quotation.objects.with_attribution().get(pk=quotation.within_id),
        "posts": citing_posts(request, quotation=quotation),
    }
    return render(request, "quotes/quotation_detail.html", context)


def speaker_detail(request, slug):
    speaker = get_object_or_404(Speaker, slug=slug)
    quotations = speaker.quotations.select_related("source").order_by("-said_on", "-pk")
    context = {
        "speaker": speaker,
        "page": page_of(request, quotations, QUOTATIONS_PER_PAGE),
        "posts": citing_posts(request, quotation__speaker=speaker),
    }
    return render(request, "quotes/speaker_detail.html", context)


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    quotations = source.quotations.select_related("speaker", "source").order_by("pk")
    context = {
        "source": source,
        "page": page_of(request, quotations, QUOTATIONS_PER_PAGE),
        "posts": citing_posts(request, quotation__source=source),
    }
    return render(request, "quotes/source_detail.html", context)


def speaker_list(request):
    speakers = Speaker.objects.order_by("name")
    return render(request, "quotes/speaker_list.html", {"page": page_of(request, speakers, 100)})


def source_list(request):
    sources = Source.objects.order_by("-published_on", "title")
    return render(request, "quotes/source_list.html", {"page": page_of(request, sources, 100)})
