"""Demo accounts: one staff user per facility, one reviewer per region, head office.

Never in production: `create_demo_accounts` refuses when DEBUG is off.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from bapas.models import Enterprise
from bapas.selectors import client_account
from facilities.models import Facility, Membership, Region
from facilities.roles import GROUP_NAMES

DEMO_PASSWORD = "karyabinaan-demo"


def _account(username: str, role: str, *, facility=None, region=None, name=""):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"is_staff": True, "first_name": name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user, defaults={"role": role, "facility": facility, "region": region}
    )
    user.groups.set([Group.objects.get(name=GROUP_NAMES[role])])
    return user


@transaction.atomic
def create_demo_accounts() -> list[tuple[str, str]]:
    """Create (or keep) the demo accounts; returns (username, what they are) rows."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo accounts are for development only (DEBUG is off).")
    rows = []
    _account("pusat", Membership.Role.HEAD_OFFICE, name="Kantor Pusat")
    rows.append(("pusat", "Kantor Pusat (nasional)"))
    for region in Region.objects.order_by("slug"):
        username = f"kanwil-{region.slug}"
        _account(username, Membership.Role.REGIONAL_REVIEWER, region=region, name=region.name)
        rows.append((username, f"Peninjau {region.name}"))
    # A Bapas client's business has the client's own login (seeds/bapas.py), never a "petugas".
    for facility in Facility.objects.exclude(kind=Facility.Kind.ENTERPRISE).order_by("slug"):
        username = f"petugas-{facility.slug}"
        _account(username, Membership.Role.FACILITY_STAFF, facility=facility, name=facility.name)
        rows.append((username, f"Petugas {facility.name}"))
    for enterprise in Enterprise.objects.select_related("facility"):
        client = client_account(enterprise)
        if client is not None:
            rows.append((client.username, f"Klien usaha binaan {enterprise.facility.name}"))
    return rows
