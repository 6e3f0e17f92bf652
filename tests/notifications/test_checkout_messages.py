"""One message per checkout event: a two-facility checkout paid once tells the
shopper "pesanan dibuat" once and "pembayaran diterima" once, on WhatsApp and
by mail, each listing both orders. The control switches the grouping off
(per-order messages, as before) and counts two of each."""

import json

import pytest

from gatewaysim import whatsapp as sim
from notifications.models import OutboundMessage
from orders.account import events
from orders.models import OrderStatus
from tests.orders.factories import CONTACT, ProductFactory, shop
from tests.orders.gateway_helpers import notification, online_checkout

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wa(settings, live_server):
    settings.WHATSAPP_SIMULATOR = True
    settings.WHATSAPP_TOKEN = "tok"
    settings.WHATSAPP_PHONE_NUMBER_ID = "123"
    settings.WHATSAPP_APP_SECRET = "secret"
    settings.WHATSAPP_VERIFY_TOKEN = "verify"
    settings.WHATSAPP_API_BASE_URL = live_server.url + "/_simulator/whatsapp"
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-UJI-KEY"
    settings.MIDTRANS_BASE_URL = "http://127.0.0.1:9/v-unused"
    return settings


def _checkout_paid_once(client):
    a = ProductFactory(facility=shop(), price=175_000, stock=5)
    b = ProductFactory(facility=shop(), price=350_000, stock=3)
    result, payment = online_checkout([(a, 1), (b, 2)])
    response = client.post(
        "/pembayaran/notifikasi/midtrans/",
        json.dumps(notification(payment)),
        content_type="application/json",
    )
    assert response.status_code == 200
    for order in result.orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID
    return result.orders


def _counts(mailoutbox):
    templates = [m["template"] for m in sim.received()]
    shopper_mail = [m.subject for m in mailoutbox if m.to == [CONTACT.email]]
    return {
        "wa_placed": templates.count("kb_pesanan_dibuat"),
        "wa_paid": templates.count("kb_pembayaran_diterima"),
        "mail_paid": sum("Dibayar" in s for s in shopper_mail),
    }


def test_two_facility_checkout_paid_once_sends_one_of_each(wa, client, mailoutbox):
    orders = _checkout_paid_once(client)
    assert _counts(mailoutbox) == {"wa_placed": 1, "wa_paid": 1, "mail_paid": 1}
    # Each message names both orders and links to them (signed, not /lacak/).
    for message in OutboundMessage.objects.all():
        assert all(o.code in message.params[1] for o in orders)
        assert "/buka/" in message.params[-1]
    paid_mail = next(m for m in mailoutbox if "Dibayar" in m.subject)
    assert all(o.code in paid_mail.body for o in orders) and "/buka/" in paid_mail.body


def test_control_per_order_messages_send_two_of_each(wa, client, mailoutbox, monkeypatch):
    monkeypatch.setattr(events, "checkout_group", lambda order, kind: [order])
    monkeypatch.setattr(events, "paid_group_key", lambda event: None)
    _checkout_paid_once(client)
    # (The confirmation mail was one per checkout already, orders.mail; an
    # online checkout sends it once the charge exists, which this helper skips.)
    assert _counts(mailoutbox) == {"wa_placed": 2, "wa_paid": 2, "mail_paid": 2}


def test_a_facility_confirming_its_own_transfer_is_still_its_own_message(wa, client):
    from orders import services
    from tests.factories import facility_staff
    from tests.orders.factories import place

    a = ProductFactory(facility=shop(), stock=5)
    b = ProductFactory(facility=shop(), stock=5)
    result = place([(a, 1), (b, 1)])
    for order in result.orders:
        services.order_confirm_payment(order=order, actor=facility_staff(order.facility))
    templates = [m["template"] for m in sim.received()]
    assert templates.count("kb_pesanan_dibuat") == 1
    assert templates.count("kb_pembayaran_diterima") == 2  # two transfers, two events
