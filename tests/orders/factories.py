"""Rows for the orders tests: public products, delivery settings, placed orders."""

import uuid

import factory

from facilities.services import facility_origin_set
from orders import services
from orders.models import DeliverySettings, ShippingRate
from tests.catalog import factories as catalog_factories
from tests.factories import BankAccountFactory, FacilityFactory
from tests.regions_data import load_test_regions


class CategoryFactory(catalog_factories.CategoryFactory):
    """One shared category for the orders suite."""

    name_id = "Kerajinan"
    name_en = "Crafts"
    slug = "kerajinan-pesanan-uji"


class ProductFactory(catalog_factories.ProductFactory):
    """An approved (public) product with ready stock: the catalog suite's
    factory with the orders suite's names and amounts."""

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Mukena Uji {n}")
    slug = factory.Sequence(lambda n: f"mukena-uji-{n}")
    description = "Mukena bordir, dijahit tangan."
    price = 150_000
    weight_grams = 700


class DeliverySettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliverySettings
        django_get_or_create = ["facility"]

    facility = factory.SubFactory(FacilityFactory)
    pickup_enabled = True
    local_delivery_enabled = True
    local_delivery_fee = 15_000
    courier_enabled = True
    courier_fallback_first_kg = 60_000
    courier_fallback_next_kg = 40_000


class ShippingRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingRate

    facility = factory.SubFactory(FacilityFactory)
    province = "DKI Jakarta"
    first_kg_fee = 30_000
    next_kg_fee = 20_000


def shop(*, origin: str | None = None, **facility_kwargs):
    """A facility ready to sell: delivery settings, a rate to Jakarta, a bank
    account, and the test regions (tests/regions_data.py) loaded; `origin` a
    village code there to ship from (none: only the rate table prices)."""
    load_test_regions()
    facility_kwargs.setdefault("email", f"upt{FacilityFactory._meta.next_sequence()}@contoh.id")
    facility = FacilityFactory(**facility_kwargs)
    if origin:
        facility_origin_set(facility=facility, village_code=origin)
    DeliverySettingsFactory(facility=facility)
    ShippingRateFactory(facility=facility)
    BankAccountFactory(facility=facility, account_holder=f"BPG {facility.name}")
    return facility


CONTACT = services.Contact(name="Siti Aminah", phone="+6281234567890", email="siti@example.com")
JAKARTA = services.Address(
    province="DKI Jakarta",
    city="Kota Administrasi Jakarta Selatan",
    district="Tebet",
    village="Tebet Barat",
    postal_code="12810",
    street="Jl. Tebet Raya No. 5",
    province_code="31",
    regency_code="31.74",
    district_code="31.74.01",
    village_code="31.74.01.1002",
)

BANDUNG = services.Address(
    province="Jawa Barat",
    city="Kota Bandung",
    district="Sukasari",
    village="Sarijadi",
    postal_code="40151",
    street="Jl. Sarijadi No. 2",
    province_code="32",
    regency_code="32.73",
    district_code="32.73.01",
    village_code="32.73.01.1001",
)
PALEMBANG = services.Address(
    province="Sumatera Selatan",
    city="Kota Palembang",
    district="Ilir Barat Satu",
    village="Bukit Lama",
    postal_code="30139",
    street="Jl. Merdeka 1",
    province_code="16",
    regency_code="16.71",
    district_code="16.71.04",
    village_code="16.71.04.1001",
)


def place(
    items,
    *,
    delivery="pickup",
    payment="bank_transfer",
    key=None,
    address=None,
    contact=CONTACT,
):
    """Place a checkout of [(product, quantity), ...] through the service."""
    lines = [
        services.PlaceLine(product_id=p.pk, quantity=q, expected_price=p.price) for p, q in items
    ]
    facility_ids = {p.facility_id for p, _ in items}
    choices = {
        fid: services.FacilityChoice(delivery_method=delivery, payment_method=payment)
        for fid in facility_ids
    }
    return services.order_place(
        idempotency_key=key or uuid.uuid4().hex,
        contact=contact,
        lines=lines,
        choices=choices,
        address=address,
    )
