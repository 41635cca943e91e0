"""Posts' search documents move to a narrow table of their own (blog.SearchDocument).

On PostgreSQL each post's document is copied with the post's status and publication date,
kept in the row (storage MAIN) and GIN-indexed as it was on the post; then the post's column
goes, with its index. On SQLite the column was never filled (search there reads FTS5 tables).
Back down, the documents are copied onto the posts again.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def copy_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE blog_post_search ALTER COLUMN search_document SET STORAGE MAIN"
    )
    schema_editor.execute(
        "INSERT INTO blog_post_search (post_id, status, published_at, search_document)"
        " SELECT id, status, published_at, search_document FROM blog_post"
        " WHERE search_document IS NOT NULL"
    )
    schema_editor.execute(
        "CREATE INDEX post_search_document ON blog_post_search USING gin (search_document)"
    )
    # Statistics now: until autovacuum's first look the planner takes the table for empty.
    schema_editor.execute("ANALYZE blog_post_search")


def copy_documents_back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE blog_post SET search_document = d.search_document FROM blog_post_search d"
        " WHERE d.post_id = blog_post.id"
    )
    schema_editor.execute(
        "CREATE INDEX blog_post_search_document ON blog_post USING gin (search_document)"
    )


class Migration(migrations.Migration):
    dependencies = [("blog", "0019_post_pages_lz4")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="blog.post",
                    ),
                ),
                ("status", models.CharField(max_length=10)),
                ("published_at", models.DateTimeField()),
                ("search_document", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "db_table": "blog_post_search",
                "indexes": [
                    models.Index(fields=["status", "-published_at"], name="post_search_newest")
                ],
            },
        ),
        migrations.RunPython(copy_documents, copy_documents_back),
        migrations.RemoveField(model_name="post", name="search_document"),
    ]
