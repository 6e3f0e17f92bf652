"""factory_boy factories for every model the tests need rows of: one factory
per model, here and nowhere else, plus the one checkout helper (`place`, through
the real service) and the one order builder for report tests (`make_order`,
straight to the tables).

The suites' own names and amounts are traits of the one factory
(`ProductFactory(for_orders=True)`, `for_oversight`, `draft`); the suites'
modules (tests/orders/factories.py ...) re-export these with their trait on.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from catalog.models import Category, ListingStatus, Product, ProductImage
from facilities.models import BankAccount, Facility, Membership, PartnerOutlet, Region
from facilities.roles import GROUP_NAMES
from facilities.services import facility_origin_set
from orders import services
from orders.models import (
    Checkout,
    DeliverySettings,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    ShippingRate,
)
from orders.states import SYSTEM
from tests.regions_data import load_test_regions


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Kanwil Uji {n}")
    province = factory.Sequence(lambda n: f"Provinsi Uji {n}")
    slug = factory.Sequence(lambda n: f"kanwil-uji-{n}")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    region = factory.SubFactory(RegionFactory)
    kind = Facility.Kind.LAPAS
    facility_class = Facility.Class.IIA
    name = factory.Sequence(lambda n: f"Lapas Kelas IIA Uji {n}")
    slug = factory.Sequence(lambda n: f"lapas-uji-{n}")
    address = "Jl. Pemasyarakatan No. 1"
    city = "Kendari"
    province = factory.SelfAttribute("region.province")
    phone = "0401 310 0104"
    whatsapp = "0811 4000 104"
    showroom_hours = "Senin–Jumat 08.00–15.00"
    about = "Program kemandirian."


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankAccount

    facility = factory.SubFactory(FacilityFactory)
    bank_name = "Bank BRI"
    account_number = factory.Sequence(lambda n: f"0001-01-{n:06d}-30-0")
    account_holder = "BPG Lapas Uji"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def _member(role, **scope):
    user = UserFactory()
    Membership.objects.create(user=user, role=role, **scope)
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    return user


def facility_staff(facility):
    """A staff user of `facility`, in the facility staff group."""
    return _member(Membership.Role.FACILITY_STAFF, facility=facility)


def regional_reviewer(region):
    return _member(Membership.Role.REGIONAL_REVIEWER, region=region)


def head_office_user():
    return _member(Membership.Role.HEAD_OFFICE)


class PartnerOutletFactory(factory.django.DjangoModelFactory):
    """A shop that sells a facility's goods, with an agreement in force since a month ago."""

    class Meta:
        model = PartnerOutlet

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"Toko Mitra {n}")
    kind = PartnerOutlet.Kind.SHOP
    address = "Jl. Masjid Jamik No. 27"
    city = "Pangkalpinang"
    agreement_number = "PKS-01/2026"
    agreement_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


# --- catalog ---------------------------------------------------------------------


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    class Params:
        # The orders suite shares one category.
        for_orders = factory.Trait(
            name_id="Kerajinan", name_en="Crafts", slug="kerajinan-pesanan-uji"
        )
        for_oversight = factory.Trait(
            name_id=factory.Sequence(lambda n: f"Kerajinan {n}"),
            name_en=factory.Sequence(lambda n: f"Crafts {n}"),
            slug=factory.Sequence(lambda n: f"kerajinan-oversight-{n}"),
        )

    name_id = factory.Sequence(lambda n: f"Kategori Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Category {n}")
    slug = factory.Sequence(lambda n: f"kategori-uji-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    """An approved (public) product unless told otherwise."""

    class Meta:
        model = Product

    class Params:
        # A draft row; the listing services under test move it on.
        draft = factory.Trait(
            name=factory.Sequence(lambda n: f"Tas Rajut Uji {n}"),
            slug=factory.Sequence(lambda n: f"tas-rajut-uji-{n}"),
            description="Tas rajut benang katun, dikerjakan tangan.",
            weight_grams=400,
            status=ListingStatus.DRAFT,
            approved_at=None,
        )
        for_orders = factory.Trait(
            category=factory.SubFactory(CategoryFactory, for_orders=True),
            name=factory.Sequence(lambda n: f"Mukena Uji {n}"),
            slug=factory.Sequence(lambda n: f"mukena-uji-{n}"),
            description="Mukena bordir, dijahit tangan.",
            price=150_000,
            weight_grams=700,
        )
        for_oversight = factory.Trait(
            category=factory.SubFactory(CategoryFactory, for_oversight=True),
            name=factory.Sequence(lambda n: f"Tas Rajut {n}"),
            slug=factory.Sequence(lambda n: f"tas-rajut-oversight-{n}"),
            description="Tas rajut tangan.",
            stock=20,
            weight_grams=400,
        )

    facility = factory.SubFactory(FacilityFactory)
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Produk Uji {n}")
    slug = factory.Sequence(lambda n: f"produk-uji-{n}")
    description = "Dibuat dengan tangan di bengkel kerja UPT."
    price = 125_000
    weight_grams = 500
    stock = 10
    status = ListingStatus.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class ProductImageFactory(factory.django.DjangoModelFactory):
    """A photo row with renditions named as core.images names them; the
    files themselves are not needed to render URLs."""

    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.Sequence(lambda n: f"products/foto-{n}.jpg")
    width = 1600
    height = 1200
    alt_text = factory.LazyAttribute(lambda o: f"Foto {o.product.name}")
    renditions = factory.Sequence(
        lambda n: {
            str(w): {
                "webp": f"products/r/foto-{n}-{w}.webp",
                "jpeg": f"products/r/foto-{n}-{w}.jpg",
                "width": w,
                "height": w * 3 // 4,
            }
            for w in (320, 640, 1280)
        }
    )


# --- orders ----------------------------------------------------------------------


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
    expected_prices=None,
):
    """The one checkout helper: place a checkout of [(product, quantity), ...]
    through the real service (orders.services.order_place). The price the
    shopper saw is the product's unless `expected_prices` ({product: price})
    says otherwise (quantity tiers)."""
    expected_prices = expected_prices or {}
    lines = [
        services.PlaceLine(
            product_id=p.pk, quantity=q, expected_price=expected_prices.get(p, p.price)
        )
        for p, q in items
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


_order_keys = itertools.count()


def make_order(
    facility,
    *,
    status: str = OrderStatus.COMPLETED,
    lines: list[tuple[Product, int]],
    shipping: int = 0,
    created_at: datetime | None = None,
    payment_deadline: datetime | None = None,
    status_since: datetime | None = None,
) -> Order:
    """An order of `facility` with `lines` ((product, quantity) pairs) in `status`.

    Written straight to the tables, for tests of what reports read rather than
    how checkout writes (`place` goes through checkout). Its history row is
    the system's (orders.states.SYSTEM), as every other builder's.
    """
    subtotal = sum(product.price * quantity for product, quantity in lines)
    checkout = Checkout.objects.create(idempotency_key=f"oversight-{next(_order_keys)}")
    order = Order.objects.create(
        checkout=checkout,
        facility=facility,
        status=status,
        contact_name="Pembeli Uji",
        contact_phone="0812 3456 7890",
        delivery_method="courier" if shipping else "pickup",
        payment_method="bank_transfer",
        subtotal=subtotal,
        shipping_fee=shipping,
        total=subtotal + shipping,
        total_weight_grams=sum(p.weight_grams * q for p, q in lines),
        payment_deadline=payment_deadline,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=product,
            product_name=product.name,
            unit_price=product.price,
            quantity=quantity,
            line_total=product.price * quantity,
            weight_grams=product.weight_grams,
            made_to_order=product.made_to_order,
            lead_time_days=product.lead_time_days,
        )
        for product, quantity in lines
    )
    if created_at is not None:
        Order.objects.filter(pk=order.pk).update(created_at=created_at)
        order.created_at = created_at
    event = OrderEvent.objects.create(
        order=order, actor_label=SYSTEM, from_status="", to_status=status
    )
    OrderEvent.objects.filter(pk=event.pk).update(
        created_at=status_since or created_at or timezone.now()
    )
    return order
