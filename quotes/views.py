from django.shortcuts import get_object_or_404, render

from blog.models import Citation, Post
from blog.views import page_of

from .models import Quotation, Source, Speaker
from .visibility import is_preview, render_page

QUOTATIONS_PER_PAGE = 20


def citing_posts(**lookup):
    """Published posts citing the quotations matched by `lookup`, newest first."""
    # A subquery rather than a join: no DISTINCT over every citation of a busy speaker.
    cited = Citation.objects.filter(**lookup).values("post_id")
    return list(
        Post.objects.published()
        .filter(pk__in=cited)
        .only("title", "slug", "published_at")
        .order_by("-published_at")[:100]
    )


def quotation_detail(request, pk):
    quotation = get_object_or_404(Quotation.objects.with_attribution().with_public_state(), pk=pk)
    preview = is_preview(request, quotation, "quotes.change_quotation")
    excerpts = Quotation.objects.with_attribution()
    context = {
        "quotation": quotation,
        "excerpt": quotation.within_id
        and (excerpts if preview else excerpts.public()).filter(pk=quotation.within_id).first(),
        "posts": citing_posts(quotation=quotation),
    }
    return render_page(request, "quotes/quotation_detail.html", context, preview)


def speaker_detail(request, slug):
    speaker = get_object_or_404(Speaker.objects.with_public_state(), slug=slug)
    preview = is_preview(request, speaker, "quotes.change_speaker")
    quotations = speaker.quotations.all() if preview else speaker.quotations.public()
    quotations = quotations.select_related("source").order_by("-said_on", "-pk")
    context = {
        "speaker": speaker,
        "page": page_of(request, quotations, QUOTATIONS_PER_PAGE),
        "posts": citing_posts(quotation__speaker=speaker),
    }
    return render_page(request, "quotes/speaker_detail.html", context, preview)


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.with_public_state(), slug=slug)
    preview = is_preview(request, source, "quotes.change_source")
    quotations = source.quotations.all() if preview else source.quotations.public()
    quotations = quotations.select_related("speaker", "source").order_by("pk")
    context = {
        "source": source,
        "page": page_of(request, quotations, QUOTATIONS_PER_PAGE),
        "posts": citing_posts(quotation__source=source),
    }
    return render_page(request, "quotes/source_detail.html", context, preview)


def speaker_list(request):
    speakers = Speaker.objects.public().order_by("name")
    return render(request, "quotes/speaker_list.html", {"page": page_of(request, speakers, 100)})


def source_list(request):
    sources = Source.objects.public().order_by("-published_on", "title")
    return render(request, "quotes/source_list.html", {"page": page_of(request, sources, 100)})
