"""The demo's Bapas client business (seeds/bapas.py), as `manage.py demo` loads it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from bapas.models import Enterprise
from catalog.models import ListingReview, ListingStatus
from facilities.models import Membership
from orders.payments.models import SettlementEntry
from seeds.accounts import create_demo_accounts

pytestmark = pytest.mark.django_db


def test_the_demo_business_is_listed_sold_and_paid_to_its_own_account(settings):
    settings.DEBUG = True
    settings.BITESHIP_API_KEY = ""
    settings.WHATSAPP_TOKEN = ""
    call_command("load_seeds")
    call_command("load_seeds")  # idempotent
    enterprise = Enterprise.objects.get()
    facility = enterprise.facility
    assert enterprise.bapas.slug == "bapas-baubau" and not enterprise.show_client_name
    products = list(facility.products.all())
    assert len(products) == 2 and all(p.status == ListingStatus.APPROVED for p in products)
    approvals = ListingReview.objects.filter(product__facility=facility, action="approve")
    assert {r.actor.membership.role for r in approvals} == {Membership.Role.REGIONAL_REVIEWER}
    entry = SettlementEntry.objects.get(facility=facility)
    assert entry.status == SettlementEntry.Status.PAID_OUT
    assert enterprise.visits.count() == 1
    rows = dict(create_demo_accounts())
    assert "usaha-butonik-wolio" in rows
    assert not any(name.startswith(f"petugas-{facility.slug}") for name in rows)
