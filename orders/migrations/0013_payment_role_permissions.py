from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Give the roles their online-payment permissions (facilities.roles)."""

    dependencies = [
        ("orders", "0012_gateway_payments"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
