from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Staff, Kanwil and head office work complaints (facilities.roles)."""

    dependencies = [("complaints", "0001_initial"), ("orders", "0014_order_refunds")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
