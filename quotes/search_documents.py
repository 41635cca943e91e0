"""Full-text documents of posts and quotations, kept by their renderers, on both databases.

PostgreSQL: a weighted tsvector, GIN-indexed, in each quotation's `search_document` and in
a row of its own for each post (blog.SearchDocument). SQLite: an
FTS5 table per kind (`blog_post_fts`, `quotes_quotation_fts`, made by migrations), its rowid
the row's id. Both are written from the same three texts, most to least weighty, with
typographic apostrophes and quotation marks made plain so that "Obama's" finds "Obama’s".
"""

import re
import unicodedata

from django.db import connection

CONFIG = "english"
# Replaced one by one: str.translate is slow on non-ASCII text (most posts' text).
PLAIN = [("’", "'"), ("‘", "'"), ("ʼ", "'"), ("“", '"'), ("”", '"'), ("„", '"'), ("«", '"'),
         ("»", '"')]  # fmt: skip
# Each kind's SQLite FTS5 table, and its PostgreSQL table with the row's key.
TABLES = {"post": ("blog_post_fts", "blog_post_search", "post_id"),
          "quotation": ("quotes_quotation_fts", "quotes_quotation", "id")}  # fmt: skip
COLUMNS = ("heading", "body", "quoted")
MAX_PREFIX_WORDS = 8


def plain(text):
    text = unicodedata.normalize("NFC", text or "")
    for typographic, straight in PLAIN:
        text = text.replace(typographic, straight)
    return text


def quotation_texts(quotation):
    """(words, who and where, source) of a quotation with its speaker and source loaded."""
    who = quotation.speaker.name if quotation.speaker_id else quotation.anonymous_description
    source = quotation.source
    return (
        quotation.text,
        " ".join(filter(None, [who, quotation.context])),
        " ".join(filter(None, [source.title, source.publisher])),
    )


def write(kind, pk, texts):
    """Store the document of the post or quotation `pk` from its three texts."""
    write_many(kind, [(pk, texts)])


DOCUMENT = (
    "setweight(to_tsvector(%s::regconfig, %s), 'A')"
    " || setweight(to_tsvector(%s::regconfig, %s), 'B')"
    " || setweight(to_tsvector(%s::regconfig, %s), 'C')"
)
# PostgreSQL: a quotation's document is a column of its row; a post's has a row of its own
# (blog.SearchDocument) with copies of the post's status and date, taken from the post row
# as this transaction sees it.
POSTGRESQL_WRITES = {
    "quotation": f"UPDATE quotes_quotation SET search_document = {DOCUMENT} WHERE id = %s",  # noqa: S608
    "post": (
        "INSERT INTO blog_post_search (post_id, status, published_at, search_document)"  # noqa: S608
        f" SELECT id, status, published_at, {DOCUMENT} FROM blog_post WHERE id = %s"
        " ON CONFLICT (post_id) DO UPDATE SET status = EXCLUDED.status,"
        " published_at = EXCLUDED.published_at, search_document = EXCLUDED.search_document"
    ),
}


def write_many(kind, documents):
    """Store the documents of posts or quotations: `documents` is [(pk, three texts)]."""
    rows = [[pk, *(plain(text) for text in texts)] for pk, texts in documents]
    if not rows:
        return
    fts_table = TABLES[kind][0]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                POSTGRESQL_WRITES[kind],
                [[CONFIG, heading, CONFIG, body, CONFIG, quoted, pk] for pk, heading, body, quoted
                 in rows],
            )  # fmt: skip
        elif connection.vendor == "sqlite":
            cursor.executemany(
                f"INSERT OR REPLACE INTO {fts_table} (rowid, heading, body, quoted)"  # noqa: S608
                " VALUES (%s, %s, %s, %s)",
                rows,
            )


def forget(kind, pk):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLES[kind][0]} WHERE rowid = %s", [pk])  # noqa: S608


def create_fts_table(kind):
    """The SQLite FTS5 table of `kind` (a migration's step; nothing on PostgreSQL)."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLES[kind][0]} USING fts5("
                f"{', '.join(COLUMNS)}, tokenize = 'porter unicode61 remove_diacritics 2')"
            )

    return create


def drop_fts_table(kind):
    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TABLE IF EXISTS {TABLES[kind][0]}")

    return drop


def prefix_matches(kind, text, limit):
    """Ids of the posts or quotations whose document has every word of `text` as a word or
    the start of one ("trea" finds "treaty"), newest first, at most `limit`: what a finder
    box needs while an editor types, from the same index as search, on both databases."""
    words = re.findall(r"\w+", plain(text).casefold())[:MAX_PREFIX_WORDS]
    if not words:
        return []
    fts_table, table, key = TABLES[kind]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT {key} FROM {table}"  # noqa: S608 - our own names
                " WHERE search_document @@ to_tsquery(%s::regconfig, %s)"
                f" ORDER BY {key} DESC LIMIT %s",
                [CONFIG, " & ".join(f"{word}:*" for word in words), limit],
            )
        else:
            cursor.execute(
                f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s"  # noqa: S608
                " ORDER BY rowid DESC LIMIT %s",
                [" AND ".join(f'"{word}"*' for word in words), limit],
            )
        return [row[0] for row in cursor.fetchall()]
