from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Staff and head office see WhatsApp messages (facilities.roles)."""

    dependencies = [
        ("notifications", "0001_initial"),
        ("facilities", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
