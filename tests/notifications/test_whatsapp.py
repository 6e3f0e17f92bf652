"""WhatsApp notifications for an order's steps: sent once through the real
Cloud API client against the simulator, failures kept and visible to staff,
transient ones retried, never undoing the order."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client

from core.money import format_rupiah
from gatewaysim.models import SimWhatsAppMessage
from notifications import services
from notifications.models import OutboundMessage, WhatsAppOptOut
from notifications.tasks import whatsapp_send
from notifications.whatsapp import (
    WhatsAppClient,
    WhatsAppError,
    clean_param,
    is_configured,
    template_payload,
)
from orders import services as order_services
from orders.models import OrderEvent, OrderStatus
from tests.factories import facility_staff, head_office_user
from tests.orders.factories import CONTACT, JAKARTA, ProductFactory, place, shop

pytestmark = pytest.mark.django_db


def contact(phone):
    return order_services.Contact(name=CONTACT.name, phone=phone, email=CONTACT.email)


def place_one(*, phone="+6281234567890", delivery="pickup", facility=None, captured=None):
    product = ProductFactory(facility=facility or shop(), price=125_000, stock=5)
    kwargs = {"address": JAKARTA} if delivery != "pickup" else {}
    if captured is not None:
        with captured(execute=True):
            result = place([(product, 1)], delivery=delivery, contact=contact(phone), **kwargs)
    else:
        result = place([(product, 1)], delivery=delivery, contact=contact(phone), **kwargs)
    return result.orders[0]


@pytest.mark.django_db(transaction=True)
def test_each_step_goes_out_once_over_real_http(whatsapp_http):
    order = place_one(delivery="courier")
    staff = facility_staff(order.facility)
    order_services.order_confirm_payment(order=order, actor=staff)
    order_services.order_process_and_ship(
        order=order, actor=staff, courier="JNE REG", tracking_number="JNE0123456789"
    )

    sent = {m.event_kind: m for m in OutboundMessage.objects.filter(order=order)}
    assert set(sent) == {"placed", "paid", "shipped"}
    assert {m.status for m in sent.values()} == {"sent"}
    received = {m.template: m for m in SimWhatsAppMessage.objects.filter(to="6281234567890")}
    assert set(received) == {"kb_pesanan_dibuat", "kb_pembayaran_diterima", "kb_pesanan_dikirim"}
    assert sent["shipped"].provider_id == received["kb_pesanan_dikirim"].wamid
    shipped = received["kb_pesanan_dikirim"].params
    link = f"{whatsapp_http.url}/lacak/{order.code}/"
    assert shipped == ["Siti Aminah", order.code, "JNE REG", "JNE0123456789", link]
    order.refresh_from_db()
    assert received["kb_pesanan_dibuat"].params[3] == format_rupiah(order.total)
    assert order.total > 125_000  # with the courier fee
    # The link is the shopper's tracking page.
    assert Client().get(f"/lacak/{order.code}/").status_code in {200, 302}


def test_pickup_steps_and_completion(whatsapp, django_capture_on_commit_callbacks):
    order = place_one(captured=django_capture_on_commit_callbacks)
    staff = facility_staff(order.facility)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.order_confirm_payment(order=order, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.order_start_processing(order=order, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.order_ready_for_pickup(order=order, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_complete(order=order, actor=staff)
    kinds = set(
        OutboundMessage.objects.filter(order=order, status="sent").values_list(
            "event_kind", flat=True
        )
    )
    # "processing" tells the shopper nothing new: no message for it.
    assert kinds == {"placed", "paid", "ready_for_pickup", "completed"}
    assert SimWhatsAppMessage.objects.filter(to="6281234567890").count() == 4


def test_a_replayed_event_or_task_sends_once(whatsapp, django_capture_on_commit_callbacks):
    order = place_one(captured=django_capture_on_commit_callbacks)
    event = OrderEvent.objects.get(order=order)
    message = OutboundMessage.objects.get(order=order)
    assert message.status == "sent"

    with django_capture_on_commit_callbacks(execute=True):
        again = services.messages_queue_for_event(event_id=event.pk)
    whatsapp_send.call(message.pk)
    whatsapp_send.enqueue(message.pk)

    assert again == [message]
    assert OutboundMessage.objects.filter(order=order).count() == 1
    assert SimWhatsAppMessage.objects.count() == 1


def test_control_a_queued_row_is_what_a_task_sends(whatsapp, django_capture_on_commit_callbacks):
    """Control for the test above: the same task call does send when the row is
    still queued, so "one" there is the status check at work, not a dead task."""
    order = place_one(captured=django_capture_on_commit_callbacks)
    message = OutboundMessage.objects.get(order=order)
    OutboundMessage.objects.filter(pk=message.pk).update(status="queued")
    whatsapp_send.call(message.pk)
    assert SimWhatsAppMessage.objects.count() == 2


def test_a_permanent_failure_is_kept_failed_and_shown_to_staff(
    whatsapp, django_capture_on_commit_callbacks
):
    order = place_one(phone="+628123450000", captured=django_capture_on_commit_callbacks)
    message = OutboundMessage.objects.get(order=order)
    assert message.status == "failed"
    assert message.attempts == 1
    assert "131026" in message.last_error and "not a WhatsApp user" in message.last_error
    # Staff of the facility see it, with the error, in the admin.
    client = Client()
    client.force_login(facility_staff(order.facility))
    page = client.get("/admin/notifications/outboundmessage/").content.decode()
    assert order.code in page and "131026" in page
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_transient_failure_is_retried_later(
    whatsapp, settings, django_capture_on_commit_callbacks
):
    order = place_one(phone="+628123450429", captured=django_capture_on_commit_callbacks)
    # The immediate backend cannot defer: the first attempt ran and left the row queued.
    message = OutboundMessage.objects.get(order=order)
    assert (message.status, message.attempts) == ("queued", 1)
    assert "130429" in message.last_error

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = whatsapp_send.get_backend()
    with pytest.raises(WhatsAppError):
        whatsapp_send.call(message.pk)
    [retry] = backend.results
    assert retry.args == [message.pk] and retry.kwargs == {"attempt": 2}
    assert retry.task.run_after is not None
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 2)

    # After the last attempt it is failed for good, for staff to resend.
    OutboundMessage.objects.filter(pk=message.pk).update(attempts=services.MAX_ATTEMPTS - 1)
    whatsapp_send.call(message.pk)
    message.refresh_from_db()
    assert message.status == "failed" and "130429" in message.last_error


def test_staff_resend_a_failed_message(whatsapp, django_capture_on_commit_callbacks):
    order = place_one(captured=django_capture_on_commit_callbacks)
    message = OutboundMessage.objects.get(order=order)
    OutboundMessage.objects.filter(pk=message.pk).update(status="failed", last_error="x")
    client = Client()
    client.force_login(facility_staff(order.facility))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/notifications/outboundmessage/",
            {"action": "resend", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "sent"
    assert SimWhatsAppMessage.objects.count() == 2


def test_staff_see_only_their_facility_messages(whatsapp, django_capture_on_commit_callbacks):
    mine = place_one(captured=django_capture_on_commit_callbacks)
    theirs = place_one(phone="+6281298765432", captured=django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(facility_staff(mine.facility))
    page = client.get("/admin/notifications/outboundmessage/").content.decode()
    assert mine.code in page and theirs.code not in page
    other = OutboundMessage.objects.get(order=theirs)
    assert client.get(f"/admin/notifications/outboundmessage/{other.pk}/change/").status_code == 404
    own = OutboundMessage.objects.get(order=mine)
    assert client.get(f"/admin/notifications/outboundmessage/{own.pk}/change/").status_code == 200
    # Head office sees both.
    client.force_login(head_office_user())
    page = client.get("/admin/notifications/outboundmessage/").content.decode()
    assert mine.code in page and theirs.code in page


def test_orders_are_placed_and_paid_while_whatsapp_is_down(
    whatsapp_down, client, django_capture_on_commit_callbacks
):
    order = place_one(captured=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_confirm_payment(order=order, actor=facility_staff(order.facility))
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    messages = OutboundMessage.objects.filter(order=order)
    assert {m.event_kind for m in messages} == {"placed", "paid"}
    # Kept for the retries, with why they have not gone out yet.
    assert all(m.status == "queued" and "tidak terhubung" in m.last_error for m in messages)


def test_opted_out_numbers_are_not_messaged(whatsapp, django_capture_on_commit_callbacks):
    call_command("whatsapp_optout", "add", "0812-3456-7890", "--note", "balas STOP")
    assert WhatsAppOptOut.objects.filter(phone="+6281234567890").exists()
    order = place_one(captured=django_capture_on_commit_callbacks)
    assert OutboundMessage.objects.get(order=order).status == "skipped"
    assert SimWhatsAppMessage.objects.count() == 0


def test_no_token_means_no_whatsapp(settings, django_capture_on_commit_callbacks):
    settings.WHATSAPP_TOKEN = ""
    assert not is_configured()
    order = place_one(captured=django_capture_on_commit_callbacks)
    assert not OutboundMessage.objects.filter(order=order).exists()


def test_debug_off_without_token_leaves_whatsapp_unconfigured_in_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "uji-" + "x" * 50,
        "WHATSAPP_TOKEN": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from notifications.whatsapp import is_configured; "
        "print(repr(s.WHATSAPP_TOKEN), s.WHATSAPP_SIMULATOR, is_configured())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "'' False False"


def test_the_simulator_refuses_a_wrong_token_and_a_bad_payload(whatsapp, settings):
    client = whatsapp
    url = "/_simulator/whatsapp/v21.0/100000000000001/messages"
    body = template_payload(to="+6281234567890", template="kb_pesanan_dibuat", params=["a"])
    wrong = client.post(
        url, body, content_type="application/json", headers={"Authorization": "Bearer x"}
    )
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == 190
    auth = {"Authorization": f"Bearer {settings.WHATSAPP_SIMULATOR_TOKEN}"}
    bad = client.post(url, {**body, "to": "+62 812"}, content_type="application/json", headers=auth)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == 100
    good = client.post(url, body, content_type="application/json", headers=auth)
    assert good.json()["messages"][0]["id"].startswith("wamid.")
    settings.WHATSAPP_SIMULATOR = False
    assert client.post(url, body, content_type="application/json", headers=auth).status_code == 404


def test_the_client_classifies_errors():
    client = WhatsAppClient(
        base_url="http://127.0.0.1:9", token="t", version="v21.0", phone_number_id="1"
    )
    with pytest.raises(WhatsAppError) as refused:
        client.send_template(to="+6281234567890", template="x", params=["a\nb"])
    assert refused.value.transient
    assert clean_param("a\n\tb      c") == "a b c"


def test_erasing_an_order_erases_its_messages_number_and_name(
    whatsapp, django_capture_on_commit_callbacks
):
    from orders.models_privacy import OrderErasure
    from orders.privacy import order_anonymise

    order = place_one(captured=django_capture_on_commit_callbacks)
    order_services.order_cancel(order=order, reason="uji", by_shopper=True)
    order.refresh_from_db()
    order_anonymise(order=order, reason=OrderErasure.Reason.REQUEST)
    message = OutboundMessage.objects.get(order=order)
    assert (message.recipient, message.params) == ("", [])
    # A queued one has no one to go to any more.
    OutboundMessage.objects.filter(pk=message.pk).update(status="queued")
    whatsapp_send.call(message.pk)
    message.refresh_from_db()
    assert message.status == "skipped"
    assert SimWhatsAppMessage.objects.count() == 1


def test_the_simulator_inbox_shows_what_the_phone_received(
    whatsapp, django_capture_on_commit_callbacks
):
    order = place_one(captured=django_capture_on_commit_callbacks)
    page = whatsapp.get("/_simulator/whatsapp/").content.decode()
    assert f"Halo Siti Aminah, pesanan {order.code} di" in page
    assert "{{" not in page
