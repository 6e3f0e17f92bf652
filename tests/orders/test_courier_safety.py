"""Courier rates asked with no row lock held (issue 29, "intent before the
call"), and courier links that are only web links (finding 7)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string

from catalog.models import Product
from gatewaysim import biteship_orders as sim_orders
from gatewaysim.biteship_models import SimShipment
from orders.delivery import shipments
from orders.delivery.models import Shipment
from orders.models import Order
from orders.services import checkout
from shipping.biteship import BiteshipClient
from shipping.links import safe_link
from tests.factories import facility_staff
from tests.orders.test_couriers import _checkout_with_rates, _paid_courier_order, _post

pytestmark = pytest.mark.django_db(transaction=True)

JS = "javascript:alert(document.cookie)"


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
    from tests.orders.factories import ProductFactory, shop

    facility = shop(city="Palembang", province="Sumatera Selatan", origin="16.71.04.1001")
    return ProductFactory(facility=facility, price=175_000, stock=5, weight_grams=1_200)


# --- rates before the lock ------------------------------------------------------------


@pytest.fixture
def rates_probe(monkeypatch):
    """Wraps the rates client: for each call, whether it ran inside a
    transaction and how many row-lock table locks this session held."""
    seen = []
    real = BiteshipClient.rates

    def probed(self, parcel, couriers=None):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() "
                "AND mode = 'RowShareLock'"
            )
            locks = cursor.fetchone()[0]
        seen.append({"in_atomic": connection.in_atomic_block, "row_locks": locks})
        return real(self, parcel, *([couriers] if couriers else []))

    monkeypatch.setattr(BiteshipClient, "rates", probed)
    return seen


def _courier_form(client, product):
    data, page = _checkout_with_rates(client, product)
    option = page.context["form"].facility_forms[0].courier_answer.find("jne", "reg")
    data[f"f{product.facility.pk}-courier"] = option.key
    return data, option


def test_placing_asks_the_rates_with_no_row_lock_held(simulator, client, product, rates_probe):
    data, option = _courier_form(client, product)
    cache.clear()  # the rate the shopper saw is no longer cached: placing must ask
    rates_probe.clear()
    placed = client.post("/checkout/", data)
    assert placed.status_code == 302, placed.content.decode()[:1500]
    assert rates_probe, "placing asked the aggregator"
    assert all(not c["in_atomic"] and c["row_locks"] == 0 for c in rates_probe), rates_probe
    assert Order.objects.get().shipping_fee == option.price  # the price seen stays the rule


def test_control_the_probe_sees_a_call_made_under_the_stock_lock(simulator, product, rates_probe):
    """What order_place did before: the rates asked inside its transaction,
    with the product rows locked. The probe catches it."""
    from orders import selectors

    facility = product.facility
    with transaction.atomic():
        list(Product.objects.select_for_update().filter(pk=product.pk))
        shipments.courier_answer(
            facility,
            selectors.delivery_settings_for([facility.pk]).get(facility.pk),
            [],
            province="31",
            postal_code="12810",
            weight_grams=1_200,
            value=175_000,
        )
    assert len(rates_probe) == 1
    assert rates_probe[0]["in_atomic"] and rates_probe[0]["row_locks"] >= 1


def test_no_rates_for_the_parcel_fails_safely_in_indonesian(
    simulator, client, product, rates_probe, monkeypatch
):
    data, _option = _courier_form(client, product)
    monkeypatch.setattr(checkout, "courier_answers_unlocked", lambda *a: {})
    rates_probe.clear()
    refused = client.post("/checkout/", data)
    assert refused.status_code == 400
    assert "belum bisa dipastikan" in refused.content.decode()
    assert not Order.objects.exists()
    assert rates_probe == []  # nothing asked from inside the transaction


# --- courier links --------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, kept",
    [
        ("https://kurir.example/lacak/1", True),
        ("http://kurir.example/x", True),
        ("HTTPS://KURIR.EXAMPLE/", True),
        (JS, False),
        (" javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//kurir.example/x", False),
        ("https:///nohost", False),
        ("https://kurir.example/\nx", False),
        ("", False),
    ],
)
def test_safe_link(raw, kept):
    assert safe_link(raw) == (raw if kept else "")


def test_a_signed_webhook_cannot_store_a_javascript_link(simulator, client, product):
    sim_orders.fault_set(waybill_pending=True, waybill_delay=3600)  # no link yet
    order = _paid_courier_order(client, product)
    shipment = shipments.shipment_book(order=order, actor=facility_staff(order.facility))
    assert shipment.tracking_link == ""
    sim_row = SimShipment.objects.get()
    payload = {
        "event": "order.status",
        "order_id": sim_row.biteship_id,
        "courier_tracking_id": sim_row.tracking_id,
        "courier_link": JS,
        "status": "allocated",
        "updated_at": "2026-12-07T10:00:00+07:00",
    }
    answer = client.post(
        "/pengiriman/webhook/biteship/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_X_BITESHIP_SECRET="rahasia-webhook-uji",
    )
    assert answer.status_code == 200
    shipment.refresh_from_db()
    assert shipment.tracking_link == ""
    assert shipment.events.filter(status="allocated").exists()  # the rest still applied
    # The table refuses it too, whatever path writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Shipment.objects.filter(pk=shipment.pk).update(tracking_link=JS)
    sim_orders.assign_waybill(sim_row, post=_post(client))
    tracked = client.post("/lacak/", {"code": order.code, "phone": "081234567890"})
    assert tracked.status_code == 302
    page = client.get(f"/lacak/{order.code}/").content.decode()
    assert "javascript:" not in page


def test_a_javascript_link_is_not_rendered(simulator, client, product):
    order = _paid_courier_order(client, product)
    shipment = Shipment.objects.get(order=order)
    shipment.tracking_link = JS  # as a row written before the check would hold it
    html = render_to_string(
        "orders/partials/courier_timeline.html", {"shipment": shipment, "order": order}
    )
    assert "javascript:" not in html and "Lacak di situs kurir" not in html
    shipment.tracking_link = "https://kurir.example/lacak/JNE1"
    html = render_to_string(
        "orders/partials/courier_timeline.html", {"shipment": shipment, "order": order}
    )
    assert 'href="https://kurir.example/lacak/JNE1"' in html
