from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Let the roles see courier bookings (facilities.roles)."""

    dependencies = [("orders", "0025_courier_bookings_and_web_links")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
