from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Staff edit their products' price tiers; Kanwil and head office see them."""

    dependencies = [("catalog", "0011_price_tiers_and_units")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
