"""WhatsApp order updates through the real client against the simulator (live_server)."""

import contextlib
import hashlib
import hmac
import json

import pytest
from django.test import RequestFactory

from gatewaysim import whatsapp as sim
from notifications import services, whatsapp
from notifications.admin import OutboundMessageAdmin
from notifications.models import OptOut, OutboundMessage
from orders import services as order_services
from orders.models import Order
from tests.factories import facility_staff
from tests.orders.factories import CONTACT, ProductFactory, place, shop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wa(settings, live_server):
    settings.WHATSAPP_SIMULATOR = True
    settings.WHATSAPP_TOKEN = "tok"
    settings.WHATSAPP_PHONE_NUMBER_ID = "123"
    settings.WHATSAPP_APP_SECRET = "secret"
    settings.WHATSAPP_VERIFY_TOKEN = "verify"
    settings.WHATSAPP_API_BASE_URL = live_server.url + "/_simulator/whatsapp"
    return settings


def _order(phone=CONTACT.phone):
    product = ProductFactory(facility=shop(), stock=10)
    contact = order_services.Contact(name="Siti", phone=phone, email="")
    return place([(product, 1)], contact=contact).orders[0]


def _signed(payload: bytes, secret="secret"):
    return "sha256=" + hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def test_placed_event_sends_one_template_through_the_simulator(wa):
    order = _order()
    [message] = OutboundMessage.objects.filter(order=order)
    assert (message.event_kind, message.status) == ("placed", "sent")
    assert message.recipient == "6281234567890"
    assert message.provider_message_id.startswith("wamid.SIM")
    [got] = sim.received()
    assert got["template"] == "kb_pesanan_dibuat" and order.code in got["params"]


def test_replayed_event_does_not_double(wa):
    order = _order()
    event = order.events.get()
    services.message_queue_for_event(event_id=event.pk)
    services.message_queue_for_event(event_id=event.pk)
    assert OutboundMessage.objects.filter(order=order).count() == 1
    assert len(sim.received()) == 1


def test_shipped_carries_courier_and_resi(wa):
    order = _order()
    Order.objects.filter(pk=order.pk).update(status="processing", delivery_method="local")
    order.refresh_from_db()
    order_services.order_ship(
        order=order, actor=facility_staff(order.facility), courier="JNE", tracking_number="JN123"
    )
    m = OutboundMessage.objects.get(order=order, event_kind="shipped")
    assert m.status == "sent" and "JNE" in m.params and "JN123" in m.params


def test_permanent_error_fails_and_order_stays(wa):
    order = _order(phone="+6281234560000")
    assert Order.objects.filter(pk=order.pk).exists()
    m = OutboundMessage.objects.get(order=order)
    assert m.status == "failed" and "131026" in m.last_error and m.attempts == 1


def test_transient_error_retried_then_failed(wa):
    order = _order(phone="+6281234569999")
    m = OutboundMessage.objects.get(order=order)
    assert m.status == "queued" and "130429" in m.last_error  # immediate backend: no defer
    for _ in range(services.MAX_ATTEMPTS):
        with contextlib.suppress(services.RetryLater):
            services.message_send(message_id=m.pk)
    m.refresh_from_db()
    assert m.status == "failed" and m.attempts == services.MAX_ATTEMPTS
    # staff can put it back on the queue
    wa.WHATSAPP_API_BASE_URL = wa.WHATSAPP_API_BASE_URL  # unchanged; still rate limited
    assert services.message_resend(message_id=m.pk)
    m.refresh_from_db()
    assert m.attempts == 1 and m.status == "queued"


def test_order_placed_when_whatsapp_down(wa, settings):
    settings.WHATSAPP_API_BASE_URL = "http://127.0.0.1:9"  # nothing listens
    order = _order()
    assert Order.objects.filter(pk=order.pk).exists()
    m = OutboundMessage.objects.get(order=order)
    assert m.status == "queued" and "network" in m.last_error


def test_no_token_means_no_whatsapp(settings):
    settings.WHATSAPP_TOKEN = ""
    settings.WHATSAPP_API_BASE_URL = ""
    order = _order()
    assert not OutboundMessage.objects.filter(order=order).exists()


def test_inbound_stop_opts_out(wa, client):
    payload = json.dumps(
        {
            "entry": [
                {
                    "changes": [
                        {
                            "value": {
                                "messages": [
                                    {
                                        "from": "6281234567890",
                                        "type": "text",
                                        "text": {"body": "berhenti"},
                                    }
                                ]
                            }
                        }
                    ]
                }
            ]
        }
    ).encode()
    r = client.post(
        "/webhooks/whatsapp/",
        payload,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=_signed(payload),
    )
    assert r.status_code == 200
    assert OptOut.objects.filter(phone="6281234567890").exists()
    order = _order()
    assert not OutboundMessage.objects.filter(order=order).exists()
    assert sim.received() == []


def test_per_order_optout_only_silences_that_order(wa):
    order = _order()
    services.optout_record(phone=CONTACT.phone, order=order, source="lacak")
    Order.objects.filter(pk=order.pk).update(status="processing", delivery_method="local")
    order.refresh_from_db()
    order_services.order_ship(
        order=order, actor=facility_staff(order.facility), courier="JNE", tracking_number="X1"
    )
    assert not OutboundMessage.objects.filter(order=order, event_kind="shipped").exists()
    other = _order()
    assert OutboundMessage.objects.filter(order=other).count() == 1


def test_forged_webhook_refused_and_signed_status_applied(wa, client):
    order = _order()
    m = OutboundMessage.objects.get(order=order)
    payload = sim.status_payload(m.provider_message_id, m.recipient, "delivered")
    forged = client.post(
        "/webhooks/whatsapp/",
        payload,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=_signed(payload, "wrong"),
    )
    assert forged.status_code == 403
    m.refresh_from_db()
    assert m.status == "sent"
    ok = client.post(
        "/webhooks/whatsapp/",
        payload,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sim.sign(payload),
    )
    assert ok.status_code == 200
    m.refresh_from_db()
    assert m.status == "delivered"
    # read beats delivered; a late "sent" does not go back
    for status in ("read", "sent"):
        p = sim.status_payload(m.provider_message_id, m.recipient, status)
        client.post(
            "/webhooks/whatsapp/",
            p,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=sim.sign(p),
        )
    m.refresh_from_db()
    assert m.status == "read"


def test_verification_handshake(wa, client):
    ok = client.get(
        "/webhooks/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": "verify", "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    bad = client.get(
        "/webhooks/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": "x", "hub.challenge": "1"},
    )
    assert bad.status_code == 403


def test_simulator_checks_bearer_token(wa):
    wa.WHATSAPP_TOKEN = "tok"
    import urllib.error
    import urllib.request

    req = urllib.request.Request(
        wa.WHATSAPP_API_BASE_URL + "/v26.0/123/messages",
        data=b"{}",
        headers={"Authorization": "Bearer nope"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req)
    assert exc.value.code == 401
    bad_payload = urllib.request.Request(
        wa.WHATSAPP_API_BASE_URL + "/v26.0/123/messages",
        data=b'{"type": "text"}',
        headers={"Authorization": "Bearer tok"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(bad_payload)
    assert exc.value.code == 400
    # the client reads an error reply as permanent (no retry)
    with pytest.raises(whatsapp.SendError) as err:
        whatsapp.send_template(to="6281234560000", template="t", params=[])
    assert not err.value.transient and err.value.code == 131026


def test_staff_see_only_their_facility_messages(wa):
    a = _order()
    b = _order()
    user = facility_staff(a.facility)
    request = RequestFactory().get("/")
    request.user = user
    from django.contrib import admin

    qs = OutboundMessageAdmin(OutboundMessage, admin.site).get_queryset(request)
    assert set(qs.values_list("order_id", flat=True)) == {a.pk}
    assert b.pk not in set(qs.values_list("order_id", flat=True))


def test_erasing_an_order_erases_its_messages_number_and_name(wa):
    from notifications.tasks import whatsapp_send
    from orders.privacy import order_anonymise
    from orders.privacy.models import OrderErasure

    order = _order()
    order_services.order_cancel(order=order, reason="uji", by_shopper=True)
    order.refresh_from_db()
    message = OutboundMessage.objects.get(order=order)
    assert message.recipient and "Siti" in message.params
    order_anonymise(order=order, reason=OrderErasure.Reason.REQUEST)
    message.refresh_from_db()
    assert (message.recipient, message.params) == ("", [])
    # Control: a queued message of an erased order goes to no one.
    OutboundMessage.objects.filter(pk=message.pk).update(status="queued")
    whatsapp_send.call(message.pk)
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("failed", "anonymised")
    assert len(sim.received()) == 1


def _courier_order_shipped(link=""):
    from orders.delivery import shipments
    from shipping.providers import RateOption

    order = _order()
    Order.objects.filter(pk=order.pk).update(status="processing", delivery_method="courier")
    order.refresh_from_db()
    option = RateOption("jne", "JNE", "reg", "REG", 18_000, 2, 3)
    shipment = shipments.shipment_create_for(order=order, option=option)
    if link:
        shipment.tracking_link = link
        shipment.save(update_fields=["tracking_link"])
    order_services.order_ship(
        order=order, actor=facility_staff(order.facility), courier="JNE REG", tracking_number="JN9"
    )
    return order, shipment


def test_shipped_links_the_couriers_tracking_page_when_known(wa):
    link = "https://track.example/jne/JN9"
    order, _shipment = _courier_order_shipped(link)
    m = OutboundMessage.objects.get(order=order, event_kind="shipped")
    assert m.params[-1] == link and "JN9" in m.params
    # Without one, the site's tracking page.
    other, _ = _courier_order_shipped()
    m = OutboundMessage.objects.get(order=other, event_kind="shipped")
    assert "/buka/" in m.params[-1]  # the signed link that opens the order


@pytest.mark.parametrize("after_days", [0, 2])
def test_delivered_is_told_at_once_even_when_completion_waits(wa, settings, after_days):
    from orders.delivery.tracking import tracking_events_apply

    settings.DELIVERED_COMPLETES_AFTER_DAYS = after_days
    order, shipment = _courier_order_shipped("https://track.example/jne/JN9")
    with contextlib.suppress(Exception):  # the delayed completion task (immediate backend)
        tracking_events_apply(shipment, [("delivered", "Diterima", "")], source="webhook")
    kinds = set(OutboundMessage.objects.filter(order=order).values_list("event_kind", flat=True))
    if after_days:
        delivered = OutboundMessage.objects.get(order=order, event_kind="delivered")
        assert delivered.template == "kb_paket_diterima" and delivered.status == "sent"
        assert delivered.params[-1] == "https://track.example/jne/JN9"
    else:
        # Delivery completes the order at once: one "completed" message, no second one.
        assert "completed" in kinds and "delivered" not in kinds


def test_a_queue_that_refuses_the_task_never_fails_the_order(wa, monkeypatch):
    from notifications import tasks

    class Refusing:
        def enqueue(self, *args, **kwargs):
            raise RuntimeError("task table unavailable")

    monkeypatch.setattr(tasks, "whatsapp_queue_event", Refusing())
    order = _order()  # placed, committed, and the caller sees no error
    assert Order.objects.filter(pk=order.pk).exists()
    assert not OutboundMessage.objects.filter(order=order).exists()
