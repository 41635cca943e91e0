from django.db import migrations

from quotes.search_documents import create_fts_table, drop_fts_table


class Migration(migrations.Migration):
    """SQLite's full-text table of quotations; rows are written when quotations render."""

    dependencies = [("quotes", "0004_public_on_its_own")]

    operations = [
        migrations.RunPython(create_fts_table("quotation"), drop_fts_table("quotation"))
    ]
