from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import PriceTier, Product
from quotes import services
from tests.orders.factories import ProductFactory, shop

VALID_NPWP = "013121660091000"  # 01.312.166.0-091.000, python-stdnum's own example


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def kendari(region):
    return shop(
        name="Lapas Kendari Uji", city="Kendari", province="Sulawesi Tenggara", region=region
    )


@pytest.fixture
def paving(kendari):
    """Paving blocks by the m²: Rp 95.000 for 1-99, Rp 85.000 from 100."""
    product = ProductFactory(
        facility=kendari,
        name="Paving Block",
        price=95_000,
        stock=500,
        unit=Product.Unit.M2,
        weight_grams=90_000,
    )
    PriceTier.objects.create(product=product, min_quantity=100, unit_price=85_000)
    return product


@pytest.fixture
def kanstin(kendari):
    return ProductFactory(
        facility=kendari,
        name="Kanstin Beton",
        price=40_000,
        stock=0,
        made_to_order=True,
        lead_time_days=14,
    )


def buyer(**overrides):
    values = {
        "organisation": "Dinas PUPR Kota Kendari",
        "npwp": VALID_NPWP,
        "contact_name": "Budi Santoso",
        "contact_phone": "+6281234567890",
        "contact_email": "pupr@example.go.id",
    }
    values.update(overrides)
    return services.Buyer(**values)


def delivery():
    return services.Delivery(
        province="Sulawesi Tenggara",
        city="Kendari",
        street="Jl. Ahmad Yani No. 1",
        needed_by=timezone.localdate() + timedelta(days=30),
    )


def make_request(facility, items, **buyer_overrides):
    return services.request_submit(
        facility_id=facility.pk,
        items=[(p.pk, q) for p, q in items],
        buyer=buyer(**buyer_overrides),
        delivery=delivery(),
        notes="",
    )


def send_quote(request, actor, *, prices=None, terms=None, valid_days=14, fee=250_000):
    prices = prices or services.suggested_prices(request)
    today = timezone.localdate()
    return services.quote_send(
        request=request,
        actor=actor,
        unit_prices=prices,
        delivery_method="local",
        delivery_fee=fee,
        delivery_date=today + timedelta(days=10),
        valid_until=today + timedelta(days=valid_days),
        payment_terms_days=terms,
        note="Harga termasuk bongkar muat.",
    )
