import django.contrib.postgres.search
from django.db import migrations

INDEXES = [
    ("blog_post_search_document", "blog_post"),
    ("quotes_quotation_search_document", "quotes_quotation"),
]


def index_existing(apps, schema_editor):
    """On PostgreSQL: GIN indexes on the documents, and documents for the rows already there."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from quotes.rendering import QUOTATION_DOCUMENT_SQL

    with schema_editor.connection.cursor() as cursor:
        for name, table in INDEXES:
            cursor.execute(f"CREATE INDEX {name} ON {table} USING gin (search_document)")
        cursor.execute(
            "UPDATE blog_post SET search_document = "
            "setweight(to_tsvector('english'::regconfig, title), 'A') || setweight("
            "to_tsvector('english'::regconfig, concat_ws(' ', excerpt, body)), 'B')"
        )
        cursor.execute(QUOTATION_DOCUMENT_SQL, {"config": "english"})


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for name, _ in INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0004_post_page_fragments"),
        ("quotes", "0002_search_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(index_existing, drop_indexes),
    ]
