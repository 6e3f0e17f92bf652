from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Staff answer quote requests, the Kanwil reads them (facilities.roles)."""

    dependencies = [("quotes", "0001_initial")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
