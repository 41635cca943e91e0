from django.db import migrations

from quotes.search_documents import create_fts_table, drop_fts_table


class Migration(migrations.Migration):
    """SQLite's full-text table of posts; rows are written when posts render (a new
    RENDER_VERSION renders every post again, on read and by the worker)."""

    dependencies = [("blog", "0009_post_sign_as_other_author")]

    operations = [migrations.RunPython(create_fts_table("post"), drop_fts_table("post"))]
