from django.db import migrations

from facilities.roles import sync_role_groups


class Migration(migrations.Migration):
    """Give the roles their online-payment permissions (facilities.roles).

    (It once waited for django-tasks-db's table; the queue is procrastinate now,
    whose permissions a later migration grants.)"""

    dependencies = [
        ("orders", "0012_gateway_payments"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
