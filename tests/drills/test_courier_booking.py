"""Drills: a courier booking is made once, whatever the aggregator does
(issue 29, finding 4), each with a control that shows the old harm.

The aggregator is the Biteship simulator on a live server, reached over HTTP
by the real client (shipping/biteship.py); its order table (SimShipment) is
what Biteship would bill: one row per POST /v1/orders that created an order.
"""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from gatewaysim import biteship as sim
from gatewaysim import biteship_orders as sim_orders
from gatewaysim.biteship_models import SimShipment
from orders import services
from orders.delivery import bookings as courier_bookings
from orders.delivery import shipments
from orders.delivery.models import CourierBooking, Shipment
from orders.models import Order, OrderStatus
from tests.factories import facility_staff
from tests.orders.factories import ProductFactory, shop
from tests.orders.test_couriers import _paid_courier_order, _post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def simulator(live_server, settings):
    settings.BITESHIP_SIMULATOR = True
    settings.BITESHIP_API_KEY = settings.BITESHIP_SIMULATOR_KEY
    settings.BITESHIP_BASE_URL = live_server.url + "/_simulator/biteship"
    settings.BITESHIP_WEBHOOK_SECRET = "rahasia-webhook-uji"
    settings.SITE_URL = live_server.url
    sim_orders.fault_clear()
    yield live_server
    sim_orders.fault_clear()


@pytest.fixture
def product(db):
    facility = shop(city="Palembang", province="Sumatera Selatan", origin="16.71.04.1001")
    return ProductFactory(facility=facility, price=175_000, stock=5, weight_grams=1_200)


def _later() -> timezone.datetime:
    """A moment past the claim window: a retry may take the booking over."""
    return timezone.now() + courier_bookings.claim_window() + timedelta(seconds=1)


def _figures(order: Order) -> tuple[int, int]:
    """(our bookings for the order, orders the aggregator made and would bill)."""
    bookings = CourierBooking.objects.filter(shipment__order=order).count()
    return bookings, SimShipment.objects.filter(reference_id__startswith=order.code).count()


# --- the aggregator answers without a waybill ----------------------------------------


def test_waybill_pending_is_one_booking_filled_later_by_the_webhook(simulator, client, product):
    sim_orders.fault_set(waybill_pending=True, waybill_delay=3600)
    order = _paid_courier_order(client, product)
    staff = facility_staff(order.facility)

    shipment = shipments.shipment_book(order=order, actor=staff)  # no error: normal answer
    booking = CourierBooking.objects.get(shipment=shipment)
    assert booking.status == CourierBooking.Status.CREATED and booking.provider_order_id
    assert shipment.status == Shipment.Status.BOOKED and shipment.waybill_pending
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID  # shipped with a resi
    client.force_login(staff)
    page = client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert "nomor resi menunggu dari kurir" in page
    assert "Pesan kurir (resi otomatis)" not in page  # booked: nothing to book again

    # Retries (a second click, the sweep) book nothing more.
    shipments.shipment_book(order=Order.objects.get(pk=order.pk), actor=staff)
    courier_bookings.bookings_sweep(now=_later())
    assert _figures(order) == (1, 1)

    # The courier gives the resi: Biteship's signed order.waybill_id webhook.
    sim_row = SimShipment.objects.get()
    sim_orders.assign_waybill(sim_row, post=_post(client))
    shipment.refresh_from_db()
    order.refresh_from_db()
    assert shipment.waybill_id == sim_row.waybill_id != ""
    assert (order.status, order.tracking_number) == (OrderStatus.SHIPPED, sim_row.waybill_id)
    assert order.events.filter(to_status=OrderStatus.SHIPPED).count() == 1
    assert _figures(order) == (1, 1)
    print("waybill pending (webhook): bookings per order, simulator orders", _figures(order))


def test_waybill_pending_is_filled_by_polling_when_the_webhook_is_lost(simulator, client, product):
    sim_orders.fault_set(waybill_pending=True, waybill_delay=0)
    order = _paid_courier_order(client, product)
    shipments.shipment_book(order=order, actor=facility_staff(order.facility))
    assert Shipment.objects.get(order=order).waybill_pending

    out = io.StringIO()
    call_command("sweep_courier_bookings", stdout=out)  # GET /v1/orders/:id has the resi now
    order.refresh_from_db()
    assert "1 resi(s) filled" in out.getvalue()
    assert order.status == OrderStatus.SHIPPED and order.tracking_number
    assert _figures(order) == (1, 1)
    print("waybill pending (poll): bookings per order, simulator orders", _figures(order))


def test_control_an_answer_not_saved_and_a_blind_retry_book_twice(
    simulator, client, product, monkeypatch
):
    """The old harm: the answer (no waybill) raised before anything was saved,
    and the retry created again. Here the recording is made to fail the same
    way and the retry runs with the lookup switched off: two orders."""
    sim_orders.fault_set(waybill_pending=True, waybill_delay=3600)
    order = _paid_courier_order(client, product)
    staff = facility_staff(order.facility)
    real_record = courier_bookings._answer_record

    def lost(booking, answer):
        raise RuntimeError("worker died before saving the answer")

    monkeypatch.setattr(courier_bookings, "_answer_record", lost)
    with pytest.raises(RuntimeError):
        shipments.shipment_book(order=order, actor=staff)
    monkeypatch.setattr(courier_bookings, "_answer_record", real_record)
    booking = CourierBooking.objects.get()
    courier_bookings.booking_attempt(booking.pk, now=_later(), lookup_first=False)
    assert SimShipment.objects.count() == 2  # two orders, both billed
    print("control (no lookup): simulator orders for one order", SimShipment.objects.count())


def test_an_answer_not_saved_is_found_by_reference_on_retry(
    simulator, client, product, monkeypatch
):
    """The same crash with the fix: the retry looks the reference up first."""
    sim_orders.fault_set(waybill_pending=True, waybill_delay=3600)
    order = _paid_courier_order(client, product)
    real_record = courier_bookings._answer_record

    def lost(booking, answer):
        raise RuntimeError("worker died before saving the answer")

    monkeypatch.setattr(courier_bookings, "_answer_record", lost)
    with pytest.raises(RuntimeError):
        shipments.shipment_book(order=order, actor=facility_staff(order.facility))
    monkeypatch.setattr(courier_bookings, "_answer_record", real_record)
    courier_bookings.bookings_sweep(now=_later())
    booking = CourierBooking.objects.get()
    assert booking.status == CourierBooking.Status.CREATED
    assert booking.provider_order_id == SimShipment.objects.get().biteship_id
    assert _figures(order) == (1, 1)


# --- a timeout after the aggregator created the order ----------------------------------


def _book_into_a_timeout(settings, client, product) -> Order:
    settings.BITESHIP_TIMEOUT_SECONDS = 0.5
    sim_orders.fault_set(slow_create=1.5)
    order = _paid_courier_order(client, product)
    with pytest.raises(shipments.ShipmentError, match="belum menjawab"):
        shipments.shipment_book(order=order, actor=facility_staff(order.facility))
    time.sleep(1.2)  # the simulator finishes answering nobody
    sim_orders.fault_clear()
    return order


def test_timeout_after_booking_retry_finds_the_booking(simulator, client, product, settings):
    order = _book_into_a_timeout(settings, client, product)
    booking = CourierBooking.objects.get()
    assert booking.status == CourierBooking.Status.REQUESTED and booking.last_error
    assert SimShipment.objects.count() == 1  # it exists, we only lost the answer

    # Staff click again at once: the booking is still being made, nothing sent.
    with pytest.raises(shipments.ShipmentError, match="jangan pesan kurir lain"):
        shipments.shipment_book(order=Order.objects.get(pk=order.pk), actor=None)
    # The sweep, past the window: lookup by our reference, found, recorded.
    courier_bookings.bookings_sweep(now=_later())
    booking.refresh_from_db()
    order.refresh_from_db()
    assert booking.status == CourierBooking.Status.CREATED
    assert booking.provider_order_id == SimShipment.objects.get().biteship_id
    assert order.status == OrderStatus.SHIPPED
    assert _figures(order) == (1, 1)
    print("timeout after booking: bookings per order, simulator orders", _figures(order))


def test_control_timeout_retry_without_lookup_books_twice(simulator, client, product, settings):
    _book_into_a_timeout(settings, client, product)
    booking = CourierBooking.objects.get()
    courier_bookings.booking_attempt(booking.pk, now=_later(), lookup_first=False)
    assert SimShipment.objects.count() == 2
    print("control timeout (no lookup): simulator orders", SimShipment.objects.count())


def test_a_service_without_the_lookup_puts_the_booking_before_a_person(
    simulator, client, product, settings, monkeypatch
):
    """Biteship's published API has no search by reference: a refused lookup
    never turns into a second POST /v1/orders."""
    from shipping.biteship import BiteshipClient
    from shipping.providers import ShippingError

    order = _book_into_a_timeout(settings, client, product)

    def refused(self, reference_id):
        raise ShippingError("GET /v1/orders: HTTP 404", status=404)

    monkeypatch.setattr(BiteshipClient, "order_by_reference", refused)
    courier_bookings.bookings_sweep(now=_later())
    booking = CourierBooking.objects.get()
    assert booking.status == CourierBooking.Status.REVIEW
    assert SimShipment.objects.count() == 1
    summary = shipments.admin_summary(Order.objects.select_related("shipment").get(pk=order.pk))
    assert "dasbor Biteship" in summary["courier_booking_note"]


def test_a_worker_killed_after_the_intent_is_finished_by_the_sweep(simulator, client, product):
    from django.db import transaction

    order = _paid_courier_order(client, product)
    staff = facility_staff(order.facility)
    with transaction.atomic():  # the intent committed, the call never made
        shipment = Shipment.objects.select_for_update().get(order=order)
        courier_bookings.booking_intent(shipment=shipment, order=order, actor=staff)
    assert SimShipment.objects.count() == 0
    courier_bookings.bookings_sweep(now=_later())
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert _figures(order) == (1, 1)


# --- cancelling the order cancels its booking -----------------------------------------


def _booked_waiting_for_resi(client, product) -> Order:
    sim_orders.fault_set(waybill_pending=True, waybill_delay=3600)
    order = _paid_courier_order(client, product)
    shipments.shipment_book(order=order, actor=facility_staff(order.facility))
    return Order.objects.get(pk=order.pk)


def test_cancelling_the_order_cancels_its_booking_once(simulator, client, product):
    order = _booked_waiting_for_resi(client, product)
    staff = facility_staff(order.facility)
    services.order_cancel(order=order, actor=staff, reason="Barang rusak saat dikemas")
    sim_row = SimShipment.objects.get()
    booking = CourierBooking.objects.get()
    assert sim_row.status == "cancelled"
    assert sim_row.cancellation_reason == "Barang rusak saat dikemas"
    assert (booking.status, booking.cancel_state) == ("cancelled", "done")
    assert booking.cancelled_at is not None
    # Idempotent: sending again (a retried task, the sweep) calls nothing.
    courier_bookings.booking_cancel_send(booking.pk)
    courier_bookings.bookings_sweep(now=_later())
    sim_row.refresh_from_db()
    assert [h["status"] for h in sim_row.history].count("cancelled") == 1
    assert CourierBooking.objects.get().cancel_attempts == 1
    # A resi that still comes does not ship a cancelled order.
    sim_orders.assign_waybill(sim_row, post=_post(client))
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_control_without_the_cancel_the_booking_stays_live(simulator, client, product, monkeypatch):
    monkeypatch.setattr(courier_bookings, "booking_cancel_request", lambda **kw: [])
    order = _booked_waiting_for_resi(client, product)
    services.order_cancel(order=order, actor=facility_staff(order.facility), reason="Batal")
    assert SimShipment.objects.get().status == "confirmed"  # the courier still comes


def test_an_order_cancelled_while_its_booking_was_unknown(simulator, client, product, settings):
    order = _book_into_a_timeout(settings, client, product)  # exists at Biteship, unknown here
    services.order_cancel(
        order=Order.objects.get(pk=order.pk),
        actor=facility_staff(order.facility),
        reason="Pembeli membatalkan",
    )
    assert CourierBooking.objects.get().status == CourierBooking.Status.REQUESTED
    courier_bookings.bookings_sweep(now=_later())  # looks it up, finds it, cancels it
    booking = CourierBooking.objects.get()
    assert (booking.status, booking.cancel_state) == ("cancelled", "done")
    assert SimShipment.objects.get().status == "cancelled"
    assert _figures(order) == (1, 1)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_a_refused_cancel_is_kept_and_shown_to_staff(simulator, client, product):
    order = _booked_waiting_for_resi(client, product)
    sim.advance(SimShipment.objects.get(), "picked")  # Biteship: too late to cancel
    services.order_cancel(order=order, actor=facility_staff(order.facility), reason="Batal")
    booking = CourierBooking.objects.get()
    assert booking.cancel_state == CourierBooking.Cancel.FAILED
    assert "cannot be cancelled" in booking.cancel_error
    summary = shipments.admin_summary(Order.objects.select_related("shipment").get(pk=order.pk))
    assert "GAGAL" in summary["courier_booking_note"]
    # Staff see it in their list of courier bookings; another facility's do not.
    client.force_login(facility_staff(order.facility))
    listing = client.get("/admin/orders/courierbooking/?cancel_state__exact=failed")
    assert listing.status_code == 200
    assert booking.reference in listing.content.decode()
    assert "cannot be cancelled" in listing.content.decode()
    client.force_login(facility_staff(shop(city="Kendari", province="Sulawesi Tenggara")))
    assert booking.reference not in client.get("/admin/orders/courierbooking/").content.decode()
