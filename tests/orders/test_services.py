"""Placing orders and every status step, through the services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from catalog.models import ListingStatus, Product
from orders import services
from orders.models import Checkout, Order, OrderEvent, OrderStatus
from orders.services import steps
from orders.states import SHOPPER, STAFF, SYSTEM, TRANSITIONS, can_transition
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.factories import (
    BANDUNG,
    JAKARTA,
    PALEMBANG,
    ProductFactory,
    ShippingRateFactory,
    place,
)

S = OrderStatus


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


# --- placing -------------------------------------------------------------------


def test_one_order_per_facility_with_snapshots_and_integer_totals(mukena, miniature):
    result = place([(mukena, 2), (miniature, 1)])
    assert result.created
    orders = {o.facility_id: o for o in result.checkout.orders.all()}
    assert set(orders) == {mukena.facility_id, miniature.facility_id}
    first = orders[mukena.facility_id]
    line = first.lines.get()
    assert (line.product_name, line.unit_price, line.quantity, line.line_total) == (
        "Mukena Bordir",
        175_000,
        2,
        350_000,
    )
    assert first.subtotal == 350_000 and first.shipping_fee == 0 and first.total == 350_000
    assert first.status == S.AWAITING_PAYMENT
    assert timedelta(hours=23) < first.payment_deadline - timezone.now() <= timedelta(hours=24)
    assert len(first.code) == 10 and first.code != orders[miniature.facility_id].code
    assert stock(mukena) == 3 and stock(miniature) == 2
    # Renaming or repricing the product later leaves the snapshot alone.
    Product.objects.filter(pk=mukena.pk).update(name="Mukena Baru", price=1)
    line.refresh_from_db()
    assert (line.product_name, line.unit_price) == ("Mukena Bordir", 175_000)
    assert first.events.get().to_status == S.AWAITING_PAYMENT


def test_placing_mails_each_facility_and_the_shopper(
    mukena, miniature, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place([(mukena, 1), (miniature, 1)])
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted(
        [mukena.facility.email, miniature.facility.email, "siti@example.com"]
    )
    shopper_mail = next(m for m in mail.outbox if m.to == ["siti@example.com"])
    assert "Bank BRI" in shopper_mail.body and "Rp 175.000" in shopper_mail.body


def test_payment_deadline_is_per_facility(mukena):
    mukena.facility.delivery_settings.payment_deadline_hours = 6
    mukena.facility.delivery_settings.save()
    order = place([(mukena, 1)]).orders[0]
    assert order.payment_deadline - timezone.now() <= timedelta(hours=6)


def test_pay_at_pickup_starts_processing(mukena):
    order = place([(mukena, 1)], payment="pay_at_pickup").orders[0]
    assert order.status == S.PROCESSING and order.payment_deadline is None


def test_pay_at_pickup_refused_for_delivery(mukena):
    with pytest.raises(services.OrderError):
        place([(mukena, 1)], delivery="courier", payment="pay_at_pickup", address=JAKARTA)
    assert not Order.objects.exists() and stock(mukena) == 5


def test_made_to_order_takes_no_stock(palembang):
    product = ProductFactory(facility=palembang, made_to_order=True, stock=0, lead_time_days=14)
    order = place([(product, 4)]).orders[0]
    assert stock(product) == 0
    line = order.lines.get()
    assert line.made_to_order and line.lead_time_days == 14
    services.order_cancel(order=order, by_shopper=True)
    assert stock(product) == 0


def test_courier_fee_by_weight_and_province_with_fallback(miniature):
    # 1.8 kg x 2 = 3.6 kg -> 4 billable kg. Jakarta row: 30.000 + 3 x 20.000.
    order = place([(miniature, 2)], delivery="courier", address=JAKARTA).orders[0]
    assert order.shipping_fee == 90_000 and order.total == 700_000 + 90_000
    order = place([(miniature, 1)], delivery="courier", address=BANDUNG).orders[0]
    # No row for Jawa Barat: fallback 60.000 + 1 x 40.000 for 2 kg.
    assert order.shipping_fee == 100_000
    assert order.province == "Jawa Barat" and order.street == BANDUNG.street
    assert order.region_village_code == "32.73.01.1001" and order.village == "Sarijadi"
    # A name posted over the codes is not believed: the codes say Jawa Barat.
    forged = services.Address(**{**BANDUNG.__dict__, "province": "Papua", "city": "Atlantis"})
    other = ProductFactory(facility=miniature.facility, weight_grams=1_800)
    order = place([(other, 1)], delivery="courier", address=forged).orders[0]
    assert (order.province, order.city, order.shipping_fee) == (
        "Jawa Barat",
        "Kota Bandung",
        100_000,
    )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"district_code": "16.71.04"}, "tidak cocok"),
        ({"village_code": "31.74.01.9999"}, "Kelurahan/desa tidak dikenal"),
        ({"postal_code": "12820"}, "bukan kode pos"),
        ({"village_code": ""}, "belum lengkap: kelurahan/desa"),
    ],
)
def test_placement_refuses_mismatched_or_forged_region_codes(miniature, change, message):
    address = services.Address(**{**JAKARTA.__dict__, **change})
    with pytest.raises(services.OrderError, match=message):
        place([(miniature, 1)], delivery="courier", address=address)
    assert not Order.objects.exists()


def test_local_delivery_is_flat_and_only_in_the_facility_city(mukena):
    with pytest.raises(services.OrderError, match="Antar dalam kota hanya"):
        place([(mukena, 1)], delivery="local", address=JAKARTA)
    order = place([(mukena, 1)], delivery="local", address=PALEMBANG).orders[0]
    assert order.shipping_fee == 15_000


def test_address_required_only_for_delivery(mukena):
    with pytest.raises(services.OrderError, match="Alamat pengiriman belum lengkap"):
        place([(mukena, 1)], delivery="courier", address=services.Address(province="DKI Jakarta"))
    order = place([(mukena, 1)], delivery="pickup", address=JAKARTA).orders[0]
    assert order.street == "" and order.province == ""  # pickup keeps no address


def test_local_only_product_cannot_go_by_courier(palembang):
    pempek = ProductFactory(facility=palembang, name="Pempek Kapal Selam", local_only=True)
    with pytest.raises(services.OrderError, match="tidak bisa dikirim lewat kurir"):
        place([(pempek, 1)], delivery="courier", address=JAKARTA)
    assert stock(pempek) == 10 and not Checkout.objects.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"price": 999}, "Harga"),
        ({"status": ListingStatus.ARCHIVED}, "tidak lagi dijual"),
        ({"stock": 1}, "Stok"),
        ({"min_order_quantity": 5}, "Minimal"),
    ],
)
def test_refusals_change_nothing(mukena, miniature, change, message):
    line_price = mukena.price
    Product.objects.filter(pk=mukena.pk).update(**change)
    with pytest.raises(services.OrderError, match=message):
        services.order_place(
            idempotency_key="k" * 32,
            contact=services.Contact(name="A", phone="+6281234567890"),
            lines=[
                services.PlaceLine(product_id=miniature.pk, quantity=1, expected_price=350_000),
                services.PlaceLine(product_id=mukena.pk, quantity=2, expected_price=line_price),
            ],
            choices={
                f: services.FacilityChoice("pickup", "bank_transfer")
                for f in (mukena.facility_id, miniature.facility_id)
            },
        )
    # All or none: the other facility's order was not made either.
    assert not Order.objects.exists() and not Checkout.objects.exists()
    assert stock(miniature) == 3


def test_unknown_product_and_tampered_facility_refused(mukena, raha):
    contact = services.Contact(name="A", phone="+6281234567890")
    choice = services.FacilityChoice("pickup", "bank_transfer")
    with pytest.raises(services.OrderError, match="tidak dikenal"):
        services.order_place(
            idempotency_key="a" * 32,
            contact=contact,
            lines=[services.PlaceLine(product_id=10**9, quantity=1, expected_price=1)],
            choices={mukena.facility_id: choice},
        )
    with pytest.raises(services.OrderError, match="tidak cocok"):
        services.order_place(
            idempotency_key="b" * 32,
            contact=contact,
            lines=[
                services.PlaceLine(product_id=mukena.pk, quantity=1, expected_price=mukena.price)
            ],
            choices={raha.pk: choice},
        )
    for quantity in (0, -3, 10**6):
        with pytest.raises(services.OrderError, match="Jumlah"):
            services.order_place(
                idempotency_key="c" * 32,
                contact=contact,
                lines=[
                    services.PlaceLine(
                        product_id=mukena.pk, quantity=quantity, expected_price=mukena.price
                    )
                ],
                choices={mukena.facility_id: choice},
            )
    assert stock(mukena) == 5 and not Order.objects.exists()


def test_same_idempotency_key_places_once(mukena):
    first = place([(mukena, 2)], key="same-key-0123456789")
    again = place([(mukena, 2)], key="same-key-0123456789")
    assert first.created and not again.created
    assert again.checkout.pk == first.checkout.pk
    assert Order.objects.count() == 1 and stock(mukena) == 3


# --- the status machine ---------------------------------------------------------

ALL = list(S.values)


@pytest.mark.parametrize("frm", ALL)
@pytest.mark.parametrize("to", ALL)
@pytest.mark.parametrize("role", [SHOPPER, STAFF, SYSTEM])
def test_transition_table_is_the_only_way(frm, to, role):
    expected = role in TRANSITIONS.get((frm, to), ())
    assert can_transition(frm, to, role) is expected


def _order_in(status, product, *, delivery="pickup", payment="bank_transfer"):
    address = JAKARTA if delivery == "courier" else None
    order = place([(product, 1)], delivery=delivery, payment=payment, address=address).orders[0]
    # Walk the real services to the wanted status.
    staff = head_office_user()
    path = {
        S.AWAITING_PAYMENT: [],
        S.PAID: ["pay"],
        S.PROCESSING: ["pay", "process"],
        S.SHIPPED: ["pay", "process", "ship"],
        S.READY_FOR_PICKUP: ["pay", "process", "ready"],
        S.COMPLETED: ["pay", "process", "ready" if delivery == "pickup" else "ship", "complete"],
        S.CANCELLED: ["cancel"],
        S.EXPIRED: ["expire"],
    }[status]
    for step in path:
        {
            "pay": lambda: services.order_confirm_payment(order=order, actor=staff),
            "process": lambda: services.order_start_processing(order=order, actor=staff),
            "ship": lambda: services.order_ship(
                order=order, actor=staff, courier="JNE", tracking_number="JNE123"
            ),
            "ready": lambda: services.order_ready_for_pickup(order=order, actor=staff),
            "complete": lambda: services.order_complete(order=order, actor=staff),
            "cancel": lambda: services.order_cancel(order=order, actor=staff, reason="uji"),
            "expire": lambda: services.order_expire(
                order=order, now=timezone.now() + timedelta(days=2)
            ),
        }[step]()
    order.refresh_from_db()
    assert order.status == status
    return order, staff


STAFF_STEPS = {
    S.PAID: lambda o, u: services.order_confirm_payment(order=o, actor=u),
    S.PROCESSING: lambda o, u: services.order_start_processing(order=o, actor=u),
    S.SHIPPED: lambda o, u: services.order_ship(
        order=o, actor=u, courier="JNE", tracking_number="1"
    ),
    S.READY_FOR_PICKUP: lambda o, u: services.order_ready_for_pickup(order=o, actor=u),
    S.COMPLETED: lambda o, u: services.order_complete(order=o, actor=u),
    S.CANCELLED: lambda o, u: services.order_cancel(order=o, actor=u, reason="stok rusak"),
}


@pytest.mark.parametrize("frm", ALL)
@pytest.mark.parametrize("to", list(STAFF_STEPS))
def test_every_staff_step_from_every_status(palembang, frm, to):
    product = ProductFactory(facility=palembang, stock=5)
    ships = frm == S.SHIPPED or (to == S.SHIPPED and frm != S.READY_FOR_PICKUP)
    delivery = "courier" if ships else "pickup"
    order, staff = _order_in(frm, product, delivery=delivery)
    events_before = order.events.count()
    allowed = can_transition(frm, to, STAFF)
    if allowed:
        STAFF_STEPS[to](order, staff)
        order.refresh_from_db()
        assert order.status == to
        event = order.events.last()
        assert (event.from_status, event.to_status, event.actor) == (frm, to, staff)
        assert order.events.count() == events_before + 1
    else:
        with pytest.raises(services.OrderError):
            STAFF_STEPS[to](order, staff)
        order.refresh_from_db()
        assert order.status == frm and order.events.count() == events_before


def test_ship_and_pickup_match_the_delivery_method(mukena):
    staff = head_office_user()
    pickup = place([(mukena, 1)], payment="pay_at_pickup").orders[0]
    with pytest.raises(services.OrderError, match="siap diambil"):
        services.order_ship(order=pickup, actor=staff, courier="JNE", tracking_number="1")
    courier = place([(mukena, 1)], delivery="courier", address=JAKARTA).orders[0]
    services.order_confirm_payment(order=courier, actor=staff)
    services.order_start_processing(order=courier, actor=staff)
    with pytest.raises(services.OrderError, match="Hanya pesanan ambil"):
        services.order_ready_for_pickup(order=courier, actor=staff)
    with pytest.raises(services.OrderError, match="nomor resi"):
        services.order_ship(order=courier, actor=staff, courier="JNE", tracking_number=" ")
    services.order_ship(order=courier, actor=staff, courier="JNE", tracking_number="JNE0001")
    courier.refresh_from_db()
    assert courier.tracking_number == "JNE0001" and courier.status == S.SHIPPED


def test_shopper_cancels_only_before_paying(mukena):
    staff = head_office_user()
    unpaid = place([(mukena, 1)]).orders[0]
    services.order_cancel(order=unpaid, by_shopper=True)
    assert Order.objects.get(pk=unpaid.pk).status == S.CANCELLED
    paid = place([(mukena, 1)]).orders[0]
    services.order_confirm_payment(order=paid, actor=staff)
    with pytest.raises(services.OrderError, match="tidak bisa diubah"):
        services.order_cancel(order=paid, by_shopper=True)
    services.order_start_processing(order=paid, actor=staff)
    with pytest.raises(services.OrderError, match="sudah dibayar"):
        services.order_cancel(order=paid, by_shopper=True)
    at_pickup = place([(mukena, 1)], payment="pay_at_pickup").orders[0]
    services.order_cancel(order=at_pickup, by_shopper=True)
    assert Order.objects.get(pk=at_pickup.pk).status == S.CANCELLED


def test_staff_cancel_needs_a_reason(mukena):
    order = place([(mukena, 1)]).orders[0]
    with pytest.raises(services.OrderError, match="alasan"):
        services.order_cancel(order=order, actor=head_office_user(), reason="  ")
    assert Order.objects.get(pk=order.pk).status == S.AWAITING_PAYMENT


def test_stock_comes_back_exactly_once(mukena):
    order = place([(mukena, 3)]).orders[0]
    assert stock(mukena) == 2
    services.order_cancel(order=order, by_shopper=True)
    assert stock(mukena) == 5
    # Triggered again, by anyone, in any way: nothing more comes back.
    for again in (
        lambda: services.order_cancel(order=order, by_shopper=True),
        lambda: services.order_cancel(order=order, actor=head_office_user(), reason="lagi"),
        lambda: services.order_expire(order=order, now=timezone.now() + timedelta(days=9)),
    ):
        with pytest.raises(services.OrderError):
            again()
    assert steps._release_stock(Order.objects.get(pk=order.pk)) is False
    assert stock(mukena) == 5
    assert Order.objects.get(pk=order.pk).stock_released


def test_expire_orders_command(mukena, miniature):
    due = place([(mukena, 2)]).orders[0]
    fresh = place([(miniature, 1)]).orders[0]
    Order.objects.filter(pk=due.pk).update(payment_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.OrderError, match="belum lewat"):
        services.order_expire(order=fresh)
    call_command("expire_orders")
    call_command("expire_orders")  # safe to run again
    assert Order.objects.get(pk=due.pk).status == S.EXPIRED
    assert Order.objects.get(pk=fresh.pk).status == S.AWAITING_PAYMENT
    assert stock(mukena) == 5 and stock(miniature) == 2
    assert OrderEvent.objects.filter(order=due, to_status=S.EXPIRED).count() == 1


def test_staff_act_only_on_their_facility(mukena, miniature):
    own = place([(mukena, 1)]).orders[0]
    other = place([(miniature, 1)]).orders[0]
    staff = facility_staff(mukena.facility)
    services.order_confirm_payment(order=own, actor=staff)
    with pytest.raises(services.OrderError, match="tidak berwenang"):
        services.order_confirm_payment(order=other, actor=staff)
    reviewer = regional_reviewer(miniature.facility.region)
    with pytest.raises(services.OrderError, match="tidak berwenang"):
        services.order_cancel(order=other, actor=reviewer, reason="x")
    assert Order.objects.get(pk=other.pk).status == S.AWAITING_PAYMENT


def test_status_change_mails_the_shopper(mukena, django_capture_on_commit_callbacks):
    order = place([(mukena, 1)]).orders[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.order_confirm_payment(order=order, actor=head_office_user())
    assert [m.to for m in mail.outbox] == [["siti@example.com"]]
    assert order.code in mail.outbox[0].subject and "Dibayar" in mail.outbox[0].subject


def test_no_mail_to_shopper_without_email(mukena, django_capture_on_commit_callbacks):
    contact = services.Contact(name="Budi", phone="+6281234567891")
    order = place([(mukena, 1)], contact=contact).orders[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.order_confirm_payment(order=order, actor=head_office_user())
    assert mail.outbox == []


def test_shipping_rate_row_wins_over_fallback(raha):
    # The row's free-text spelling is matched by code ("Jabar" is Jawa Barat, 32).
    ShippingRateFactory(facility=raha, province="Jabar", first_kg_fee=90_000, next_kg_fee=70_000)
    product = ProductFactory(facility=raha, weight_grams=500)
    order = place([(product, 1)], delivery="courier", address=BANDUNG).orders[0]
    assert order.shipping_fee == 90_000
