"""A post's stored page and its search document compressed with lz4 on PostgreSQL.

These columns are rewritten whenever a post renders (a speaker's rename re-renders every
post quoting them) and read by every uncached page showing it. pglz, PostgreSQL's default,
spent about 1.2 ms of the database's CPU compressing one post's columns as it was written
at 10,000 posts; lz4 spent about 0.5 ms, and reads back faster. Only the column setting
changes: rows keep what they were written with until next written, and PostgreSQL reads
either. Skipped where the server was built without lz4 (its enum of compressions lacks it).
"""

from django.db import migrations

COLUMNS = [
    "body",
    "body_html",
    "updates_top_html",
    "updates_appended_html",
    "sources_html",
    "comments_html",
    "article_html",
    "listing_html",
    "head_html",
    "search_document",
]


def lz4_available(connection):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def compress_with(method):
    def alter(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql" or (method == "lz4" and not lz4_available(connection)):
            return
        columns = ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in COLUMNS)
        schema_editor.execute(f"ALTER TABLE blog_post {columns}")

    return alter


class Migration(migrations.Migration):
    dependencies = [("blog", "0018_citation_indexes_lead_by_key")]

    operations = [migrations.RunPython(compress_with("lz4"), compress_with("default"))]
