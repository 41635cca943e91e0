from django.db import migrations, models


class Migration(migrations.Migration):
    # Filled by blog's 0021_quotations_public_from, which owns the citations it copies.
    dependencies = [("quotes", "0012_quotation_keys_led_by_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="quotation",
            name="public_from",
            field=models.DateTimeField(editable=False, null=True),
        ),
    ]
