"""Delivery settings and courier rates for every seeded facility, and (for the
demo only) a handful of orders in different statuses.

Rates are demo values in the range couriers charge from each island; a
facility's staff replace them in the admin. Demo orders go through the same
services a shopper and the staff use, keyed by a fixed idempotency key, so a
second run changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from catalog.models import Product
from facilities import provinces
from facilities.models import Facility, Membership
from orders import services
from orders.models import Checkout, DeliverySettings, ShippingRate
from orders.payments.services.receipts import payment_proof_submit

# Which island group a province belongs to: same province < same group < elsewhere.
ISLANDS = provinces.island_groups()
JAVA_HUBS = ["DKI Jakarta", "Jawa Barat", "Jawa Tengah", "Jawa Timur", "Banten", "DI Yogyakarta"]
# Facilities whose fresh food (pempek, bread, keripik) goes out within the city.
LOCAL_DELIVERY_FEES = {
    "lapas-palembang": 15_000,
    "lapas-perempuan-palembang": 15_000,
    "lapas-kendari": 12_000,
    "lapas-banjarmasin": 15_000,
}


def _island(province: str) -> str | None:
    return next((name for name, provinces in ISLANDS.items() if province in provinces), None)


def _rates_for(facility: Facility) -> dict[str, tuple[int, int, str]]:
    """Province -> (first kg, next kg, estimate) from `facility`."""
    rates = {facility.province: (12_000, 8_000, "1–2 hari")}
    island = _island(facility.province)
    for province in ISLANDS.get(island, []):
        rates.setdefault(province, (25_000, 15_000, "2–4 hari"))
    for province in JAVA_HUBS:
        rates.setdefault(province, (38_000, 26_000, "3–5 hari"))
    return rates


def load_delivery(facilities: dict[str, Facility]) -> int:
    """Create each facility's delivery settings and rate table once; staff edits win."""
    rates = 0
    with transaction.atomic():
        for slug, facility in facilities.items():
            local_fee = LOCAL_DELIVERY_FEES.get(slug)
            DeliverySettings.objects.get_or_create(
                facility=facility,
                defaults={
                    "pickup_enabled": True,
                    "local_delivery_enabled": local_fee is not None,
                    "local_delivery_fee": local_fee or 0,
                    "courier_enabled": True,
                    "courier_fallback_first_kg": 55_000,
                    "courier_fallback_next_kg": 40_000,
                    "payment_deadline_hours": 24,
                },
            )
            for province, (first, following, estimate) in _rates_for(facility).items():
                _, created = ShippingRate.objects.get_or_create(
                    facility=facility,
                    province=province,
                    defaults={
                        "first_kg_fee": first,
                        "next_kg_fee": following,
                        "estimate": estimate,
                    },
                )
                rates += created
    return ShippingRate.objects.filter(facility__in=facilities.values()).count()


# --- demo orders ------------------------------------------------------------------

DEMO_ADDRESS = services.Address(
    province="DKI Jakarta",
    city="Kota Administrasi Jakarta Selatan",
    district="Tebet",
    village="Tebet Barat",
    postal_code="12810",
    street="Jl. Contoh Demo No. 1 (alamat demo)",
    province_code="31",
    regency_code="31.74",
    district_code="31.74.01",
    village_code="31.74.01.1002",
)
# (key suffix, steps after placing, payment, delivery)
SCENARIOS = [
    ("menunggu", [], "bank_transfer", "pickup"),
    ("bukti", ["receipt"], "bank_transfer", "courier"),
    ("dibayar", ["pay"], "bank_transfer", "pickup"),
    ("dikirim", ["pay", "process", "ship"], "bank_transfer", "courier"),
    ("siap-diambil", ["ready"], "pay_at_pickup", "pickup"),
    ("selesai", ["pay", "process", "ship", "complete"], "bank_transfer", "courier"),
    ("batal", ["cancel"], "bank_transfer", "pickup"),
]


def _demo_staff(facility: Facility):
    """The facility's demo staff account (as seeds.accounts makes it), the actor
    of the staff steps."""
    from seeds.accounts import _account

    return _account(
        f"petugas-{facility.slug}",
        Membership.Role.FACILITY_STAFF,
        facility=facility,
        name=facility.name,
    )


def load_demo_orders(facilities: dict[str, Facility]) -> int:
    """A few orders in different statuses, spread over the seeded facilities.

    Demo only (DEBUG): the staff steps are taken by the demo staff accounts.
    Returns how many demo checkouts exist.
    """
    if not settings.DEBUG:
        return 0
    products = {}
    for product in (
        Product.objects.public()
        .filter(facility__in=facilities.values(), local_only=False)
        .order_by("facility__slug", "id")
    ):
        products.setdefault(product.facility_id, product)
    candidates = list(products.values())
    if not candidates:
        return 0
    for index, (name, steps, payment, delivery) in enumerate(SCENARIOS):
        key = f"seed-demo-order-{name}"
        if Checkout.objects.filter(idempotency_key=key).exists():
            continue
        product = candidates[index % len(candidates)]
        quantity = product.min_order_quantity
        try:
            result = services.order_place(
                idempotency_key=key,
                contact=services.Contact(
                    name=f"Pembeli Demo {index + 1}",
                    phone=f"+62812000000{index + 1:02d}",
                    email=f"pembeli{index + 1}@contoh.karyabinaan.id",
                ),
                lines=[
                    services.PlaceLine(
                        product_id=product.pk, quantity=quantity, expected_price=product.price
                    )
                ],
                choices={
                    product.facility_id: services.FacilityChoice(
                        delivery_method=delivery, payment_method=payment
                    )
                },
                address=DEMO_ADDRESS if delivery != "pickup" else None,
            )
        except services.OrderError:
            continue  # e.g. sold out in this database: skip the scenario
        order = result.orders[0]
        staff = _demo_staff(order.facility) if steps else None
        for step in steps:
            if step == "receipt":
                payment_proof_submit(
                    order=order,
                    upload=SimpleUploadedFile(
                        "bukti-demo.pdf", b"%PDF-1.4\n% bukti transfer demo\n%%EOF\n"
                    ),
                )
            elif step == "pay":
                services.order_confirm_payment(order=order, actor=staff)
            elif step == "process":
                services.order_start_processing(order=order, actor=staff)
            elif step == "ship":
                services.order_ship(
                    order=order,
                    actor=staff,
                    courier="JNE",
                    tracking_number=f"DEMO{timezone.now():%y%m}{index:04d}",
                )
            elif step == "ready":
                services.order_ready_for_pickup(order=order, actor=staff)
            elif step == "complete":
                services.order_complete(order=order, actor=staff)
            elif step == "cancel":
                services.order_cancel(order=order, by_shopper=True, reason="Demo: batal.")
    return Checkout.objects.filter(idempotency_key__startswith="seed-demo-order-").count()
