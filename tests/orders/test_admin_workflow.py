"""The order page's steps in place and the officer's to-do list: each step goes
through the services, asks its second question where it must, returns to the
same order naming it, and never reaches another facility's order."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from orders import services
from orders.models import Order, OrderEvent, OrderStatus
from orders.payments.services.receipts import payment_proof_submit
from tests.factories import facility_staff, regional_reviewer
from tests.orders.factories import JAKARTA, place

pytestmark = pytest.mark.django_db

ORDERS = "/admin/orders/order/"


def _step(order, step):
    return f"{ORDERS}{order.pk}/langkah/{step}/"


def _with_receipt(product, delivery="courier"):
    order = place([(product, 1)], delivery=delivery, address=JAKARTA).orders[0]
    payment_proof_submit(
        order=order, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")
    )
    return order


@pytest.fixture
def courier_enabled(palembang):
    palembang.delivery_settings.courier_enabled = True
    palembang.delivery_settings.save()
    return palembang


def test_order_page_leads_with_status_total_receipt_and_whatsapp(
    client, mukena, media, courier_enabled
):
    order = _with_receipt(mukena)
    client.force_login(facility_staff(order.facility))
    body = client.get(f"{ORDERS}{order.pk}/change/").content.decode()
    summary = body[body.index('class="kb-panel kb-order-summary"') :]
    # The summary comes before Django's form, with what an officer needs first.
    assert body.index("kb-order-summary") < body.index('id="order_form"')
    assert "Menunggu pembayaran" in summary
    assert "Periksa bukti transfer" in summary
    assert f"Rp {order.total:,}".replace(",", ".") in summary
    assert f"/admin/orders/order/{order.pk}/bukti/" in summary
    assert "https://wa.me/6281234567890" in summary
    assert 'data-step="confirm_payment"' in summary and 'data-step="cancel"' in summary
    assert 'name="_save"' not in body  # nothing to save by hand: no misleading button
    # Amounts in Rupiah everywhere on the page, never the stored integer.
    for amount in (order.total, order.subtotal, order.shipping_fee):
        assert f">{amount}<" not in body.replace(" ", "").replace("\n", "")
    # Labels, never codes, in the history; actors by name.
    assert "awaiting_payment" not in body.replace('value="awaiting_payment"', "")
    assert ">shopper<" not in body and "Pembeli" in body


def test_confirm_payment_asks_a_second_question_then_returns_to_the_order(
    client, mukena, media, courier_enabled
):
    order = _with_receipt(mukena)
    client.force_login(facility_staff(order.facility))
    page = client.get(_step(order, "confirm_payment"))
    assert page.status_code == 200
    assert "sudah masuk?" in page.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT  # asking changed nothing
    # A post without the answer to the question changes nothing either.
    client.post(_step(order, "confirm_payment"))
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT

    response = client.post(_step(order, "confirm_payment"), {"confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{ORDERS}{order.pk}/change/"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [f"Pesanan {order.code}: Dibayar."]


def test_ship_from_paid_in_one_step_records_both_moves(client, mukena, media, courier_enabled):
    order = _with_receipt(mukena)
    staff = facility_staff(order.facility)
    services.order_confirm_payment(order=order, actor=staff)
    client.force_login(staff)
    form = client.get(_step(order, "ship")).content.decode()
    assert '<label for="id_courier">' in form and '<label for="id_tracking_number">' in form

    # A courier order without a resi: refused with the service's message, nothing moved.
    response = client.post(_step(order, "ship"), {"courier": "JNE", "tracking_number": ""})
    assert "Isi nama kurir dan nomor resi." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID

    response = client.post(_step(order, "ship"), {"courier": "JNE", "tracking_number": "JN01"})
    assert response.status_code == 302 and response["Location"] == f"{ORDERS}{order.pk}/change/"
    order.refresh_from_db()
    assert (order.status, order.courier, order.tracking_number) == ("shipped", "JNE", "JN01")
    moves = list(order.events.values_list("from_status", "to_status"))[-2:]
    assert moves == [("paid", "processing"), ("processing", "shipped")]


def test_steps_the_state_table_does_not_allow_are_refused(client, mukena):
    order = place([(mukena, 1)]).orders[0]  # pickup, awaiting payment, no receipt
    client.force_login(facility_staff(order.facility))
    for step in ("ship", "complete", "ready_for_pickup", "reject_payment", "nonsense"):
        response = client.post(_step(order, step), {"confirm": "yes"}, follow=True)
        assert response.status_code == 200
        order.refresh_from_db()
        assert order.status == OrderStatus.AWAITING_PAYMENT, step
    assert order.events.count() == 1


def test_one_tap_steps_need_a_post(client, mukena):
    order = place([(mukena, 1)]).orders[0]
    staff = facility_staff(order.facility)
    services.order_confirm_payment(order=order, actor=staff)
    client.force_login(staff)
    assert client.get(_step(order, "start_processing")).status_code == 405
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    response = client.post(_step(order, "start_processing"))
    assert response["Location"] == f"{ORDERS}{order.pk}/change/"
    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING


def test_staff_cannot_step_another_facilitys_order(client, mukena, miniature, media):
    own = place([(mukena, 1)]).orders[0]
    other = place([(miniature, 1)]).orders[0]
    client.force_login(facility_staff(own.facility))
    for step in ("confirm_payment", "cancel"):
        assert client.get(_step(other, step)).status_code == 404
        response = client.post(_step(other, step), {"confirm": "yes", "reason": "coba"})
        assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == OrderStatus.AWAITING_PAYMENT and other.events.count() == 1


def test_reviewer_sees_but_cannot_step(client, mukena):
    order = place([(mukena, 1)]).orders[0]
    client.force_login(regional_reviewer(order.facility.region))
    response = client.post(_step(order, "confirm_payment"), {"confirm": "yes"})
    assert response.status_code in (403, 404)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_todo_list_buckets_and_scope(client, mukena, miniature, media, courier_enabled):
    staff = facility_staff(mukena.facility)
    receipt = _with_receipt(mukena)
    to_pack = place([(mukena, 1)]).orders[0]
    services.order_confirm_payment(order=to_pack, actor=staff)
    to_ship = place([(mukena, 1)], delivery="courier", address=JAKARTA).orders[0]
    services.order_confirm_payment(order=to_ship, actor=staff)
    services.order_start_processing(order=to_ship, actor=staff)
    pickup = place([(mukena, 1)], payment="pay_at_pickup").orders[0]
    late = place([(mukena, 1)]).orders[0]
    services.order_confirm_payment(order=late, actor=staff)
    OrderEvent.objects.filter(order=late).update(created_at=timezone.now() - timedelta(days=5))
    elsewhere = place([(miniature, 1)], payment="pay_at_pickup").orders[0]

    client.force_login(staff)
    response = client.get(f"{ORDERS}tugas/")
    assert response.status_code == 200
    buckets = {b.key: [o.code for o in b.orders] for b in response.context["buckets"]}
    assert buckets["receipts"] == [receipt.code]
    assert set(buckets["to_pack"]) == {to_pack.code, late.code}
    assert buckets["to_ship"] == [to_ship.code]
    assert buckets["pickups"] == [pickup.code]
    assert buckets["overdue"] == [late.code]
    assert elsewhere.code not in response.content.decode()


def test_todo_list_query_count_does_not_grow(client, mukena, django_assert_max_num_queries):
    staff = facility_staff(mukena.facility)
    client.force_login(staff)
    mukena.stock = 100
    mukena.save()
    for _ in range(2):
        order = place([(mukena, 1)]).orders[0]
        services.order_confirm_payment(order=order, actor=staff)
    with django_assert_max_num_queries(12) as few:
        client.get(f"{ORDERS}tugas/")
    for _ in range(8):
        order = place([(mukena, 1)]).orders[0]
        services.order_confirm_payment(order=order, actor=staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"{ORDERS}tugas/")
    assert Order.objects.filter(status=OrderStatus.PAID).count() == 10


def test_confirm_then_ship_leads_straight_to_the_ship_form(client, mukena, media, courier_enabled):
    order = _with_receipt(mukena)
    client.force_login(facility_staff(order.facility))
    assert 'value="ship"' in client.get(_step(order, "confirm_payment")).content.decode()
    response = client.post(_step(order, "confirm_payment"), {"confirm": "yes", "then": "ship"})
    assert response["Location"] == _step(order, "ship")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_staff_read_times_in_their_facilitys_zone(client, mukena):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    mukena.facility.timezone = "Asia/Makassar"
    mukena.facility.save()
    order = place([(mukena, 1)]).orders[0]
    created = datetime(2026, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC"))  # 09.30 in Makassar
    Order.objects.filter(pk=order.pk).update(created_at=created)
    services.order_confirm_payment(order=order, actor=facility_staff(order.facility))
    client.force_login(facility_staff(order.facility))
    for page in (ORDERS, f"{ORDERS}{order.pk}/change/"):
        body = client.get(page).content.decode()
        assert re.search(r"\b0?9[.:]30\b", body), page
        assert not re.search(r"\b0?8[.:]30\b", body), page  # not Jakarta time
    body = client.get(f"{ORDERS}tugas/").content.decode()
    assert "1 Mar 09.30 WITA" in body.replace(":", ".")


def test_a_malformed_order_id_is_not_a_500(client, mukena):
    client.force_login(facility_staff(mukena.facility))
    response = client.get(f"{ORDERS}abc/change/")
    assert response.status_code in (302, 404)


def test_order_page_queries_do_not_grow_with_its_history(
    client, mukena, media, courier_enabled, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = facility_staff(mukena.facility)
    client.force_login(staff)
    short = _with_receipt(mukena)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{ORDERS}{short.pk}/change/")
    long = _with_receipt(mukena)
    services.order_confirm_payment(order=long, actor=staff)
    services.order_process_and_ship(order=long, actor=staff, courier="JNE", tracking_number="J1")
    services.order_complete(order=long, actor=staff)
    assert long.events.count() >= 4
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"{ORDERS}{long.pk}/change/")
