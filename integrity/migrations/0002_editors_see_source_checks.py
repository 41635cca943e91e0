"""Editors see snapshots, checks and link states, and may reschedule a source's next check."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = [
    "view_snapshot",
    "view_check",
    "view_verification",
    "view_sourcewatch",
    "change_sourcewatch",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("integrity")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    permissions = Permission.objects.filter(
        content_type__app_label="integrity", codename__in=EDITORS
    )
    assert permissions.count() == len(EDITORS), "missing integrity permissions"
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="integrity", codename__in=EDITORS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0001_snapshots_verifications_watch"),
        ("blog", "0003_editors_and_moderators_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
