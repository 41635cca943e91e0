"""The two staff roles: Editors (posts and quotations) and Moderators (comments only).

On a fresh database the permissions do not exist yet during `migrate` (they are made by a
post_migrate handler at the very end), so they are created here first for every app.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = [
    f"{action}_{model}"
    for action in ("add", "change", "delete", "view")
    for model in ("post", "update", "tag", "quotation", "speaker", "source")
]
MODERATORS = ["view_comment", "change_comment", "moderate_comment"]
ROLES = {"Editors": EDITORS, "Moderators": MODERATORS}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label__in=["blog", "quotes"], codename__in=codenames
        )
        assert permissions.count() == len(codenames), f"missing permissions for {name}"
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0002_comment_and_post_comments_block"),
        ("quotes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
