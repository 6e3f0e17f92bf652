from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Bapas officers register businesses and record visits (facilities.roles)."""

    dependencies = [("bapas", "0001_initial")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
