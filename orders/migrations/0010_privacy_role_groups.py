from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Give the staff roles their privacy permissions (facilities.roles)."""

    dependencies = [("orders", "0009_privacy")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
