import django.contrib.auth.models
from django.db import migrations

from facilities.roles import GROUP_NAMES, sync_role_groups


def rights_from_roles_only(apps, schema_editor):
    """Head office loses auth.* and membership permissions (sync_role_groups),
    and every member's rights become exactly its role's group: raw permissions
    and other groups granted through Django's user admin are taken away."""
    sync_role_groups(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("facilities", "Membership")
    groups = {role: Group.objects.get(name=name) for role, name in GROUP_NAMES.items()}
    for membership in Membership.objects.select_related("user").filter(user__is_superuser=False):
        membership.user.groups.set([groups[membership.role]])
        membership.user.user_permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("facilities", "0004_partner_outlets_exhibitions"),
        # No upward dependency: each app that adds models a role works with grants
        # them in a role migration of its own (facilities.roles), whenever that runs.
    ]

    operations = [
        migrations.CreateModel(
            name="StaffAccount",
            fields=[],
            options={
                "verbose_name": "akun petugas",
                "verbose_name_plural": "akun petugas",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("auth.user",),
            managers=[
                ("objects", django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.RunPython(rights_from_roles_only, migrations.RunPython.noop),
    ]
