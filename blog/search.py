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
from operator import itemgetter

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
        text, now = plain(query), now or timezone.now()
        quotations = best_first(ranked(RANKED_QUOTATIONS, text, now))
        return quoting_first(best_first(ranked(RANKED_POSTS, text, now)), quotations), quotations
    published, public = Post.objects.published(), Quotation.objects.public()
    quotations = fts_ids("quotes_quotation_fts", query)
    posts = quoting_first(fts_ids("blog_post_fts", query), quotations)
    return keep_public(posts, published), keep_public(quotations, public)


def newest_ranked(queryset, text, newest_first):
    """PostgreSQL: the newest MAX_RANKED of `queryset` matching `text`, each ranked as it is
    read (one pass over each document): (pk, rank)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    search = SearchQuery(text, search_type="websearch", config=CONFIG)
    matching = queryset.filter(search_document=search).order_by(newest_first)
    return matching.annotate(rank=SearchRank(F("search_document"), search)).values_list(
        "pk", "rank"
    )[:MAX_RANKED]


# Compiled once a process (ops/prepared.py): the query's text and the moment are the values.
RANKED_POSTS = Prepared(
    lambda text, now: newest_ranked(SearchDocument.objects.published(now), text, "-published_at")
)
RANKED_QUOTATIONS = Prepared(
    lambda text, now: newest_ranked(Quotation.objects.public(now), text, "-pk")
)


def ranked(prepared, text, now):
    """The (pk, rank) rows of a prepared ranking, read as the cursor gives them: through the
    ORM, converting the 600 ranks of a search was a tenth of its Python time."""
    sql, params = prepared.sql(text, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def best_first(rows):
    """The ids of (pk, rank) rows best first; the sort is stable (reversed too), so newer
    first among equals."""
    return [pk for pk, rank in sorted(rows, key=itemgetter(1), reverse=True)]


def quoting_first(ids, matching_quotations):
    """`ids` (in rank order) with the posts showing more of the matching quotations first:
    ranking by text alone put a short post that mentions a speaker before the long one
    quoting them at length, on both databases."""
    if not ids or not matching_quotations:
        return ids
    shown = Counter(citing_post_ids(ids, matching_quotations))
    if not shown:
        return ids
    return sorted(ids, key=shown.__getitem__, reverse=True)  # stable: rank order among equals


def citing_post_ids(post_ids, quotation_ids):
    """The post id of each citation of one of `quotation_ids` by one of `post_ids`. On
    PostgreSQL both lists go as one array parameter each, written as an array's text: the
    ORM's `__in` prepared 600 values one by one and sent a 600-parameter statement, and
    psycopg's list adapter took most of the rest of a search's Python time."""
    if connection.vendor != "postgresql":
        citations = Citation.objects.filter(post_id__in=post_ids, quotation_id__in=quotation_ids)
        return citations.values_list("post_id", flat=True)
    sql = (
        f"SELECT post_id FROM {Citation._meta.db_table}"  # noqa: S608 - our table name
        " WHERE post_id = ANY(%s::bigint[]) AND quotation_id = ANY(%s::bigint[])"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [array_text(post_ids), array_text(quotation_ids)])
        return [row[0] for row in cursor.fetchall()]


def array_text(ids):
    """A PostgreSQL array literal of integer ids: '{1,2,3}'."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


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
