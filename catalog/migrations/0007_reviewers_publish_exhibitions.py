from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Regional reviewers may publish their region's exhibitions (facilities.roles)."""

    dependencies = [("catalog", "0006_consignment")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
