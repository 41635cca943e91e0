from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_public_from(apps, schema_editor):
    """Each quotation's earliest listed citation: what blog.models.record_public_from keeps."""
    Citation = apps.get_model("blog", "Citation")
    Quotation = apps.get_model("quotes", "Quotation")
    earliest = (
        Citation.objects.filter(quotation=OuterRef("pk"), listed_at__isnull=False)
        .order_by("listed_at")
        .values("listed_at")[:1]
    )
    Quotation.objects.update(public_from=Subquery(earliest))


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0020_post_search_documents_own_table"),
        ("quotes", "0013_quotation_public_from"),
    ]

    operations = [migrations.RunPython(copy_public_from, migrations.RunPython.noop)]
