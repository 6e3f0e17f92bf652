from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from facilities.models import Exhibition
from stand import services
from tests.factories import FacilityFactory, ProductFactory, facility_staff


@pytest.fixture(autouse=True)
def _no_gateway_traffic(settings):
    """No gateway unless a test starts the simulator: port 9 refuses."""
    settings.MIDTRANS_BASE_URL = "http://127.0.0.1:9"


@pytest.fixture
def stand_facility(region):
    return FacilityFactory(region=region, name="Lapas Perempuan Palembang")


@pytest.fixture
def event(stand_facility):
    today = timezone.localdate()
    return Exhibition.objects.create(
        facility=stand_facility,
        title="Bazar Kambang Iwak",
        place="Taman Kambang Iwak",
        city="Palembang",
        province="Sumatera Selatan",
        starts_on=today,
        ends_on=today + timedelta(days=2),
    )


@pytest.fixture
def staff(stand_facility):
    return facility_staff(stand_facility)


@pytest.fixture
def songket(stand_facility):
    return ProductFactory(facility=stand_facility, name="Kain Songket", price=250_000, stock=5)


@pytest.fixture
def mukena(stand_facility):
    return ProductFactory(facility=stand_facility, name="Mukena Bordir", price=175_000, stock=4)


@pytest.fixture
def till(event, stand_facility, staff, songket, mukena):
    return services.till_open(
        exhibition=event,
        facility=stand_facility,
        by=staff,
        quantities={songket.pk: 3, mukena.pk: 2},
    )


def sale_input(*lines, payment="cash", cash_given=None, key=None, sold_at=None):
    return services.SaleInput(
        client_uuid=key or uuid.uuid4(),
        lines=[(product.pk, quantity) for product, quantity in lines],
        payment=payment,
        cash_given=cash_given,
        sold_at=sold_at,
    )
