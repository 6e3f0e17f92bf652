from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Staff work their outlets' logins and payments and packaging requests
    (facilities.roles)."""

    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
