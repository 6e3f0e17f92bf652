from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Staff record, the Kanwil reads, head office reads and records the
    proceeds ledger (facilities.roles)."""

    dependencies = [("proceeds", "0001_initial")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
