"""Search over posts (title, excerpt, body) and quotations (words, speaker, context, source).

On PostgreSQL: full-text search with English stemming, ranked (titles and the quoted
words weigh most), the reader's text parsed by `websearch_to_tsquery`, which accepts
anything ("quoted phrases", -minus, or) and never raises a syntax error. Elsewhere
(SQLite): every word or "quoted phrase" must appear, case-insensitively, in one of the
fields; posts matching in the title come first. Both use `Post.objects.published()`.

On PostgreSQL each post and quotation keeps its weighted document in `search_document`
(GIN-indexed), written here when it is saved: computing the documents per query took
seconds over 10,000 posts (the benchmark). Quotations are indexed when the quotes app
says they changed (its `quotations_changed` signal), which covers a renamed speaker or
source too.
"""

import re
import unicodedata

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from quotes.models import Quotation
from quotes.rendering import index_quotations  # noqa: F401 - with index_posts, for gendata

from .models import Post

MAX_QUERY_CHARS = 200
# Ranking needs every match's document; a word in every post would rank them all. The
# newest this many matches are ranked, which bounds the cost however large the blog grows.
MAX_RANKED = 1000
MAX_TERMS = 10
CONFIG = "english"
# Quotation marks readers type or paste, and punctuation that only wraps a word.
QUOTES = '"“”„«»'
WRAPPING = "\"'“”‘’„«»()[]{}.,;:!?"


def clean_query(raw):
    """The reader's text without control characters, spaces collapsed, capped in length."""
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    return text[:MAX_QUERY_CHARS].strip()


def terms(query):
    """Words and "quoted phrases" of a cleaned query, unwrapped from punctuation."""
    pattern = f"[{QUOTES}]([^{QUOTES}]+)[{QUOTES}]|(\\S+)"
    found = []
    for phrase, word in re.findall(pattern, query):
        term = " ".join((phrase or word).split()).strip(WRAPPING)
        if term and term.casefold() not in {t.casefold() for t in found}:
            found.append(term)
    return found[:MAX_TERMS]


def uses_full_text():
    return connection.vendor == "postgresql"


def index_posts(ids):
    """Write the full-text documents of these posts (PostgreSQL only)."""
    if uses_full_text():
        from django.contrib.postgres.search import SearchVector

        document = SearchVector("title", weight="A", config=CONFIG) + SearchVector(
            "excerpt", "body", weight="B", config=CONFIG
        )
        posts = Post.objects.all() if ids is None else Post.objects.filter(pk__in=ids)
        posts.update(search_document=document)


def search_posts(query):
    posts = Post.objects.published().only("title", "slug", "published_at", "summary")
    if uses_full_text():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search = SearchQuery(query, search_type="websearch", config=CONFIG)
        newest = posts.filter(search_document=search).order_by("-published_at")
        return (
            posts.filter(pk__in=newest.values("pk")[:MAX_RANKED])
            .annotate(rank=SearchRank(F("search_document"), search))
            .order_by("-rank", "-published_at")
        )
    words = terms(query)
    if not words:
        return posts.none()
    for word in words:
        posts = posts.filter(
            Q(title__icontains=word) | Q(excerpt__icontains=word) | Q(body__icontains=word)
        )
    in_title = [When(title__icontains=word, then=Value(1)) for word in words]
    rank = sum(
        (Case(when, default=Value(0), output_field=IntegerField()) for when in in_title),
        Value(0),
    )
    return posts.annotate(rank=rank).order_by("-rank", "-published_at")


def search_quotations(query):
    quotations = Quotation.objects.public().with_attribution()
    if uses_full_text():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search = SearchQuery(query, search_type="websearch", config=CONFIG)
        newest = Quotation.objects.public().filter(search_document=search).order_by("-pk")
        return (
            quotations.filter(pk__in=newest.values("pk")[:MAX_RANKED])
            .annotate(rank=SearchRank(F("search_document"), search))
            .order_by("-rank", "-pk")
        )
    words = terms(query)
    if not words:
        return quotations.none()
    for word in words:
        quotations = quotations.filter(
            Q(text__icontains=word)
            | Q(speaker__name__icontains=word)
            | Q(anonymous_description__icontains=word)
            | Q(context__icontains=word)
            | Q(source__title__icontains=word)
            | Q(source__publisher__icontains=word)
        )
    return quotations.order_by("-pk")
