from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Give the staff roles their partner-outlet and exhibition permissions
    (facilities.roles)."""

    dependencies = [
        ("catalog", "0004_outlet_exhibition_products"),
        ("facilities", "0004_partner_outlets_exhibitions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
