"""Editors move posts (slug and date changes): they may see and fix the old addresses."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_redirect" for action in ("add", "change", "delete", "view")]


def allow_editors(apps, schema_editor):
    app_config = apps.get_app_config("redirects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="redirects", codename__in=CODENAMES)
    )


def disallow_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="redirects", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("redirects", "0001_initial"),
        ("blog", "0003_editors_and_moderators_groups"),
    ]

    operations = [migrations.RunPython(allow_editors, disallow_editors)]
