"""The pages of quotations, speakers and sources: here, where posts are known too, because
each lists the posts citing it."""

import datetime
import string

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from integrity.links import structured_data_hooks
from ops.pagecache import tag as page_shows
from ops.prepared import Prepared, padded
from quotes.models import ListedOn, Quotation, Source, Speaker
from quotes.rendering import LISTED, fresh, shown_by
from quotes.visibility import is_preview, render_page

from . import structured_data
from .context_processors import site_url
from .models import Citation, Post
from .paging import (
    BIGGEST_ID,
    Key,
    Keyset,
    KeysetPage,
    PreparedList,
    dump_moment,
    dump_text,
    load_moment,
    load_text,
)

QUOTATIONS_PER_PAGE = 20
CITING_POSTS_PER_PAGE = 20
# The quotations' pager has its own parameters: `before`/`after` page the citing posts.
QUOTATION_PARAMS = {"before": "qbefore", "after": "qafter"}


def newest_dated_first(field):
    """A key of the date `field`, newest first and undated last (ListedOn)."""
    return Key(
        "listed_on",
        descending=True,
        dump=datetime.date.isoformat,
        load=datetime.date.fromisoformat,
        expression=ListedOn(field),
    )


# A speaker's quotations newest first, undated ones last; a source's in the order entered.
# Each order is served by an index of Quotation.Meta.
SPEAKER_ORDER = Keyset(newest_dated_first("said_on"), Key("pk", descending=True))
SOURCE_ORDER = Keyset(Key("pk"))
# "Posts quoting": their citations newest first, cursors as for any list of posts.
CITING = Keyset(
    Key("listed_at", descending=True, dump=dump_moment, load=load_moment),
    Key("post_id", descending=True),
)
CITING_LISTED = ["title", "slug", "published_at", "line_html"]
# The indexes of speakers (by name) and sources (newest first, undated last), each served
# by an index of its model's Meta: a page costs what the first does, with no COUNT.
SPEAKERS_PER_PAGE = SOURCES_PER_PAGE = 100
SPEAKER_LIST = Keyset(Key("name", dump=dump_text, load=load_text), Key("pk"))
# A to Z on the speakers page: each letter's link is a cursor just before the first name
# starting with it.
SPEAKER_INITIALS = [
    (letter, f"?before={SPEAKER_LIST.cursor({'name': letter, 'pk': 0})}")
    for letter in string.ascii_uppercase
]
SOURCE_LIST = Keyset(
    newest_dated_first("published_on"), Key("title", dump=dump_text, load=load_text), Key("pk")
)


def citations_of(kind):
    """The citations of the quotation, speaker or source (`kind`) whose id is a request's
    value, published by a moment (the other): (listed_at, post_id), once a post."""

    def build(pk, now):
        cited = Citation.objects.filter(listed_at__lte=now, **{f"{kind}_id": pk})
        # A post citing a speaker three times is listed once.
        return cited.values("listed_at", "post_id").distinct()

    return PreparedList(build)


CITATIONS = {kind: citations_of(kind) for kind in ("quotation", "speaker", "source")}


def citing_posts(request, record):
    """A page of the published posts citing `record` (a quotation, speaker or source), newest
    first: a range of the index of their citations' copies of `listed_at` (Citation), then
    those posts. Keyset paging (?before=): the oldest page of a much-quoted speaker costs
    what the first does."""
    now = timezone.now()
    cited = CITATIONS[record._meta.model_name].bind(record.pk, now)
    page = KeysetPage(request, cited, CITING_POSTS_PER_PAGE, keyset=CITING)
    ids = [row["post_id"] for row in page.rows]
    if ids:
        found = {post.pk: post for post in POSTS_BY_ID(now, *padded(ids, CITING_POSTS_PER_PAGE))}
        page.object_list = [found[pk] for pk in ids if pk in found]
    return page


POSTS_BY_ID = Prepared(
    lambda now, *ids: Post.objects.published(now).only(*CITING_LISTED).filter(pk__in=ids)
)


def citing_keys(posts):
    return [f"post:{post.pk}" for post in posts]


def is_shown(record, listed):
    """Whether readers may see `record`: when it is marked public, or when `listed` (a page
    of its public quotations, or of the published posts citing it) holds one. Only an empty
    page asks the database (QuerySet.public())."""
    model = type(record)
    return record.is_public or bool(listed) or model.objects.public().filter(pk=record.pk).exists()


# A quotation with its speaker and source, its source check and the source's link state
# (integrity/), in one query compiled once a process (ops/prepared.py).
QUOTATION_BY_PK = Prepared(
    lambda pk: (
        Quotation.objects.to_render()
        .select_related("verification", "source__watch")
        .filter(pk=pk)[:1]
    )
)


def quotation_detail(request, pk):
    # An id past the database's integers names nothing (SQLite would refuse to compare it).
    if pk > BIGGEST_ID:
        raise Http404("No quotation at this address.")
    quotation = QUOTATION_BY_PK.first_or_404(pk, missing="No quotation at this address.")
    posts = citing_posts(request, quotation)
    quotation.shown = is_shown(quotation, posts.rows)
    preview = is_preview(request, quotation, "quotes.change_quotation")
    excerpt = None
    if quotation.within_id:
        excerpts = Quotation.objects.to_render()
        excerpts = excerpts if preview else excerpts.public()
        excerpt = excerpts.filter(pk=quotation.within_id).first()
    shown = fresh([quotation, *([excerpt] if excerpt else [])])
    context = {
        "quotation": quotation,
        "excerpt": excerpt,
        "posts": posts,
        **structured_data.quotation_page(
            quotation, site_url(request), **structured_data_hooks(quotation, site_url(request))
        ),
    }
    response = render_page(request, "quotes/quotation_detail.html", context, preview)
    keys = [f"quotation-page:{pk}", *shown_by(shown), *citing_keys(posts)]
    return page_shows(response, *keys)


def attributed_detail(request, model, slug, order):
    """A speaker's or a source's page: its public quotations, paged, and the posts citing them."""
    kind = model._meta.model_name
    record = BY_SLUG[kind].first_or_404(slug, missing=f"No {kind} at {slug}.")
    page = quotations_page(request, QUOTED_BY[kind].bind(record.pk, timezone.now()), order)
    record.shown = is_shown(record, page.rows)
    preview = is_preview(request, record, f"quotes.change_{kind}")
    if preview:
        page = quotations_page(request, record.quotations.all().only(*LISTED), order)
    posts = citing_posts(request, record)
    context = {kind: record, "page": page, "posts": posts}
    context |= HEADS[kind](record, site_url(request))
    # The link preview names this page of the list, as <link rel=canonical> does.
    context["og"]["url"] += page.canonical_query
    response = render_page(request, f"quotes/{kind}_detail.html", context, preview)
    keys = [f"{kind}:{record.pk}", f"{kind}-page:{record.pk}", *shown_by(page.object_list)]
    return page_shows(response, *keys, *citing_keys(posts))


def quotations_page(request, quotations, order):
    """A page of `quotations` in `order`, fresh: keyset paging (?qbefore=), no COUNT of a busy
    speaker's quotations, and their oldest page costs what the first does."""
    page = KeysetPage(request, quotations, QUOTATIONS_PER_PAGE, keyset=order, **QUOTATION_PARAMS)
    page.object_list = fresh(page.object_list)
    return page


HEADS = {"speaker": structured_data.speaker_page, "source": structured_data.source_page}
# A speaker's or source's page, compiled once a process (ops/prepared.py): the record by
# its slug, and its public quotations at a moment loading only what the list shows.
BY_SLUG = {
    kind: Prepared(lambda slug, model=model: model.objects.filter(slug=slug)[:1])
    for kind, model in [("speaker", Speaker), ("source", Source)]
}
QUOTED_BY = {
    kind: PreparedList(
        lambda pk, now, kind=kind: (
            Quotation.objects.filter(**{f"{kind}_id": pk}).public(now).only(*LISTED)
        )
    )
    for kind in ("speaker", "source")
}


def speaker_detail(request, slug):
    return attributed_detail(request, Speaker, slug, SPEAKER_ORDER)


def source_detail(request, slug):
    return attributed_detail(request, Source, slug, SOURCE_ORDER)


# Who is on these lists depends on which posts are published and which quotations are
# public (QuerySet.public()): publishing, scheduling or unpublishing a post purges "posts".
LISTED_BY = ("posts", "quotations")


def speaker_list(request):
    speakers = Speaker.objects.public().only("name", "slug", "description")
    page = KeysetPage(request, speakers, SPEAKERS_PER_PAGE, keyset=SPEAKER_LIST)
    context = {"page": page, "initials": SPEAKER_INITIALS}
    response = render(request, "quotes/speaker_list.html", context)
    return page_shows(response, "speakers", *LISTED_BY)


def source_list(request):
    sources = Source.objects.public().only("title", "slug", "publisher", "published_on")
    page = KeysetPage(request, sources, SOURCES_PER_PAGE, keyset=SOURCE_LIST)
    response = render(request, "quotes/source_list.html", {"page": page})
    return page_shows(response, "sources", *LISTED_BY)
