"""An outlet with consignment stock and a login of its own, and a second
facility's outlet beside it, to try crossing the lines."""

from __future__ import annotations

import pytest

from catalog import services as catalog_services
from catalog.models import OutletProduct
from partners import services
from tests.factories import FacilityFactory, PartnerOutletFactory, ProductFactory, facility_staff

PASSWORD = "Mitra-sandi-2026!"


def new_outlet(name="Toko Acun Akuarium", **facility_kwargs):
    facility = FacilityFactory(**facility_kwargs)
    outlet = PartnerOutletFactory(facility=facility, name=name)
    product = ProductFactory(
        facility=facility, name=f"Perangkap Tikus {name}", price=85_000, stock=10
    )
    link = OutletProduct.objects.create(outlet=outlet, product=product)
    staff = facility_staff(facility)
    catalog_services.consignment_hand_over(link=link, quantity=5, actor=staff)
    account = services.partner_account_create(
        actor=staff, username=f"mitra-{outlet.pk}", password=PASSWORD, outlet=outlet
    )
    return outlet, link, staff, account


@pytest.fixture
def acun(db):
    return new_outlet()


@pytest.fixture
def other(db):
    return new_outlet(name="Koperasi Lain")
