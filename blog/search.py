"""Search over posts and quotations, ranked, on PostgreSQL and on SQLite alike.

Each post's document is its title (weighs most), its own words (excerpt, body, updates),
and the quotations it shows with who said them and where; each quotation's is its words,
its speaker or anonymous description and context, and its source
(quotes/search_documents.py, written whenever they render; a post's in a row of its own,
blog.SearchDocument, read without the post's). On PostgreSQL the documents
are weighted tsvectors matched with `websearch_to_tsquery` (English stemming; it accepts
anything and never raises) and ranked with ts_rank; the newest MAX_RANKED matches are
ranked, which bounds the cost however many posts match. On SQLite they are FTS5 rows
(Porter stemming) matched on every word or "quoted phrase" and ranked with bm25; the best
MAX_RANKED are kept. On both, posts showing more of the matching quotations come first.
Either way a search returns ranked ids, once; the page shown loads only its own rows (no
COUNT, no second run of the ranking). Typographic apostrophes and quotation marks are made
plain in documents and queries: "Obama's" finds "Obama’s".
"""

import re
import unicodedata
from collections import Counter

from django.db import OperationalError, connection
from django.db.models import F
from django.utils import timezone

from ops.prepared import Prepared, padded
from quotes.models import Quotation
from quotes.search_documents import CONFIG, plain

from .models import Citation, Post, SearchDocument

MAX_QUERY_CHARS = 200
# Ranking needs every match's document; a word in every post would rank them all. The
# newest this many matches are ranked, which bounds the cost however large the blog grows.
MAX_RANKED = 300
MAX_TERMS = 10
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


def ranked_ids(query, now=None):
    """(post ids, quotation ids): the published posts and public quotations matching
    `query` (at `now`), best first, at most MAX_RANKED of each."""
    if uses_full_text():
        return postgresql_ranked_ids(plain(query), now or timezone.now())
    published, public = Post.objects.published(), Quotation.objects.public()
    quotations = fts_ids("quotes_quotation_fts", query)
    posts = quoting_first(fts_ids("blog_post_fts", query), quotations)
    return keep_public(posts, published), keep_public(quotations, public)


def newest_ranked(queryset, text, newest_first, *fields):
    """PostgreSQL: the newest MAX_RANKED of `queryset` matching `text`, each ranked as it is
    read (one pass over each document): (pk, rank, *fields)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    search = SearchQuery(text, search_type="websearch", config=CONFIG)
    matching = queryset.filter(search_document=search).order_by(newest_first)
    return matching.annotate(rank=SearchRank(F("search_document"), search)).values_list(
        "pk", "rank", *fields
    )[:MAX_RANKED]


# Compiled once a process (ops/prepared.py): the query's text and the moment are the values.
RANKED_POSTS = Prepared(
    lambda text, now: newest_ranked(
        SearchDocument.objects.published(now), text, "-published_at", "published_at"
    )
)
RANKED_QUOTATIONS = Prepared(
    lambda text, now: newest_ranked(Quotation.objects.public(now), text, "-pk")
)
# Both rankings and the citations between them in one statement (it was three, the third
# sending the 600 ids back). Posts showing more of the matching quotations come first
# (ranking by text alone put a short post mentioning a speaker before the long one
# quoting them at length), then best first; newer first among equals.
RANKING = """
WITH quotations (pk, rank) AS MATERIALIZED ({quotations}),
posts (pk, rank, published_at) AS MATERIALIZED ({posts}),
shown (post_id, quotations) AS (
    SELECT post_id, count(*) FROM {citation}
    WHERE post_id IN (SELECT pk FROM posts) AND quotation_id IN (SELECT pk FROM quotations)
    GROUP BY post_id
)
SELECT is_post, pk FROM (
    SELECT false AS is_post, pk, rank, 0 AS shown, NULL::timestamptz AS published_at
    FROM quotations
    UNION ALL
    SELECT true, pk, rank, coalesce(shown.quotations, 0), published_at
    FROM posts LEFT JOIN shown ON shown.post_id = posts.pk
) AS ranked
ORDER BY is_post, shown DESC, rank DESC, published_at DESC, pk DESC
"""


def postgresql_ranked_ids(text, now):
    quotations, quotation_params = RANKED_QUOTATIONS.sql(text, now)
    posts, post_params = RANKED_POSTS.sql(text, now)
    sql = RANKING.format(quotations=quotations, posts=posts, citation=Citation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*quotation_params, *post_params])
        rows = cursor.fetchall()
    return [pk for is_post, pk in rows if is_post], [pk for is_post, pk in rows if not is_post]


def quoting_first(ids, matching_quotations):
    """SQLite: `ids` (in bm25 order) with the posts showing more of the matching quotations
    first (as RANKING does on PostgreSQL)."""
    if not ids or not matching_quotations:
        return ids
    citations = Citation.objects.filter(post_id__in=ids, quotation_id__in=matching_quotations)
    shown = Counter(citations.values_list("post_id", flat=True))
    return sorted(ids, key=lambda pk: -shown[pk])  # stable: bm25 order among equals


def fts_ids(table, query):
    """SQLite: ids matching every term of `query` in FTS5 `table`, by bm25 rank."""
    words = terms(plain(query))
    if not words:
        return []
    # Each term a quoted phrase (its quotes doubled): no reader's text is FTS5 syntax.
    match = " ".join('"{}"'.format(word.replace('"', '""')) for word in words)
    sql = (
        f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608 - our table names
        f" ORDER BY bm25({table}, 10.0, 3.0, 2.0) LIMIT %s"
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, MAX_RANKED * 4])
            return [row[0] for row in cursor.fetchall()]
    except OperationalError:  # a term FTS5 cannot take: nothing matches it
        return []


def keep_public(ids, queryset):
    """`ids` in their order, without those `queryset` leaves out, at most MAX_RANKED."""
    allowed = set(queryset.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    return [pk for pk in ids if pk in allowed][:MAX_RANKED]


def load(query, ids, per_page, *values):
    """The rows of `ids` (a page of results) in that order, by `query` (a Prepared of
    `values` and a page's length of ids, ops.prepared.padded)."""
    found = {row.pk: row for row in query(*values, *padded(ids, per_page))} if ids else {}
    return [found[pk] for pk in ids if pk in found]
