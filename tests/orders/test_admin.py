"""The order desk in the admin, and every way one facility's staff might reach
another's orders: changelist, change view by URL, actions, CSV, print pages."""

import re

import pytest

from orders import services
from orders.models import Order, OrderStatus, PaymentProof
from orders.payments.services.receipts import payment_proof_submit
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.factories import JAKARTA, ProductFactory, place, shop

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/orders/order/"


@pytest.fixture
def two_orders(mukena, miniature):
    own = place([(mukena, 1)]).orders[0]
    other = place([(miniature, 1)]).orders[0]
    return own, other


def login(client, user):
    client.force_login(user)
    return client


def test_staff_changelist_shows_only_their_orders(client, two_orders):
    own, other = two_orders
    login(client, facility_staff(own.facility))
    body = client.get(CHANGELIST).content.decode()
    assert own.code in body and other.code not in body
    # Filtering by the other facility's id in the URL does not widen the scope.
    body = client.get(f"{CHANGELIST}?facility__id__exact={other.facility_id}").content.decode()
    assert other.code not in body


def test_staff_cannot_open_another_facilitys_order_by_url(client, two_orders):
    own, other = two_orders
    login(client, facility_staff(own.facility))
    assert client.get(f"{CHANGELIST}{own.pk}/change/").status_code == 200
    assert client.get(f"{CHANGELIST}{other.pk}/change/").status_code == 404
    assert client.get(f"{CHANGELIST}{other.pk}/history/").status_code == 404
    for page in ("slip", "faktur"):
        assert client.get(f"{CHANGELIST}{own.pk}/{page}/").status_code == 200
        assert client.get(f"{CHANGELIST}{other.pk}/{page}/").status_code == 404


@pytest.mark.parametrize(
    "action", ["confirm_payment", "start_processing", "complete", "ready_for_pickup"]
)
def test_staff_actions_cannot_touch_another_facilitys_order(client, two_orders, action):
    own, other = two_orders
    login(client, facility_staff(own.facility))
    client.post(CHANGELIST, {"action": action, "apply": "1", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.status == OrderStatus.AWAITING_PAYMENT
    assert other.events.count() == 1


def test_staff_cancel_with_reason_cannot_reach_other_facility(client, two_orders):
    own, other = two_orders
    login(client, facility_staff(own.facility))
    response = client.post(
        CHANGELIST,
        {
            "action": "cancel",
            "apply": "1",
            "reason": "stok rusak",
            "_selected_action": [own.pk, other.pk],
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.status == OrderStatus.CANCELLED and own.cancel_reason == "stok rusak"
    assert other.status == OrderStatus.AWAITING_PAYMENT


def test_cancel_asks_for_a_reason_first(client, two_orders):
    own, _ = two_orders
    login(client, facility_staff(own.facility))
    page = client.post(CHANGELIST, {"action": "cancel", "_selected_action": [own.pk]})
    assert page.status_code == 200 and "Alasan" in page.content.decode()
    empty = client.post(
        CHANGELIST, {"action": "cancel", "apply": "1", "reason": "", "_selected_action": [own.pk]}
    )
    assert empty.status_code == 200
    own.refresh_from_db()
    assert own.status == OrderStatus.AWAITING_PAYMENT


def test_csv_export_is_scoped(client, two_orders):
    own, other = two_orders
    login(client, facility_staff(own.facility))
    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [own.pk, other.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert own.code in text and other.code not in text
    assert "175000" in text


def test_reviewer_sees_region_read_only(client, two_orders):
    own, other = two_orders
    reviewer = regional_reviewer(own.facility.region)
    login(client, reviewer)
    body = client.get(CHANGELIST).content.decode()
    assert own.code in body and other.code not in body
    assert client.get(f"{CHANGELIST}{other.pk}/change/").status_code == 404
    change = client.get(f"{CHANGELIST}{own.pk}/change/")
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    # Actions that change orders are not offered, and a forged POST does nothing.
    assert 'value="confirm_payment"' not in body
    client.post(
        CHANGELIST, {"action": "confirm_payment", "apply": "1", "_selected_action": [own.pk]}
    )
    own.refresh_from_db()
    assert own.status == OrderStatus.AWAITING_PAYMENT
    # Reading and exporting their region is what reviewers are for.
    csv = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [own.pk]})
    assert own.code in csv.content.decode()


def test_head_office_sees_and_works_everything(client, two_orders):
    own, other = two_orders
    login(client, head_office_user())
    body = client.get(CHANGELIST).content.decode()
    assert own.code in body and other.code in body
    # The action asks first ("sudah masuk?"), changing nothing ...
    question = client.post(
        CHANGELIST, {"action": "confirm_payment", "_selected_action": [own.pk, other.pk]}
    )
    assert "sudah masuk?" in question.content.decode()
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.AWAITING_PAYMENT}
    # ... and the answer confirms.
    client.post(
        CHANGELIST,
        {"action": "confirm_payment", "apply": "1", "_selected_action": [own.pk, other.pk]},
    )
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.PAID}


def test_list_puts_what_needs_action_first(client, palembang, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = facility_staff(palembang)
    product = ProductFactory(facility=palembang, stock=50)
    waiting = place([(product, 1)]).orders[0]
    done = place([(product, 1)]).orders[0]
    services.order_cancel(order=done, by_shopper=True)
    paid = place([(product, 1)]).orders[0]
    services.order_confirm_payment(order=paid, actor=staff)
    with_receipt = place([(product, 1)]).orders[0]
    payment_proof_submit(
        order=with_receipt,
        upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"),
    )
    login(client, staff)
    body = client.get(CHANGELIST).content.decode()
    positions = [body.index(o.code) for o in (with_receipt, paid, waiting, done)]
    assert positions == sorted(positions)
    assert "Periksa bukti transfer" in body


def test_reject_receipt_with_reason(client, mukena, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = place([(mukena, 1)]).orders[0]
    payment_proof_submit(
        order=order, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")
    )
    login(client, facility_staff(mukena.facility))
    client.post(
        CHANGELIST,
        {
            "action": "reject_payment",
            "apply": "1",
            "reason": "Nominal tidak sesuai",
            "_selected_action": [order.pk],
        },
    )
    proof = PaymentProof.objects.get()
    assert proof.status == PaymentProof.Status.REJECTED
    assert proof.rejection_reason == "Nominal tidak sesuai"
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert "Nominal tidak sesuai" in order.events.last().note


def test_receipt_file_shown_to_staff(client, mukena, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = place([(mukena, 1)]).orders[0]
    payment_proof_submit(
        order=order, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")
    )
    login(client, facility_staff(mukena.facility))
    page = client.get(f"{CHANGELIST}{order.pk}/change/").content.decode()
    proof = PaymentProof.objects.get()
    # A link to the staff-only receipt view, never the file's own URL.
    assert f"{CHANGELIST}{order.pk}/bukti/{proof.pk}/" in page
    assert proof.file.url not in page


def test_delivery_settings_and_rates_are_scoped(client, palembang, raha):
    login(client, facility_staff(palembang))
    body = client.get("/admin/orders/deliverysettings/").content.decode()
    assert palembang.name in body and raha.name not in body
    other_settings = raha.delivery_settings
    url = f"/admin/orders/deliverysettings/{other_settings.pk}/change/"
    assert client.get(url).status_code == 404
    rates = client.get("/admin/orders/shippingrate/").content.decode()
    assert raha.name not in rates
    other_rate = raha.shipping_rates.get()
    assert client.get(f"/admin/orders/shippingrate/{other_rate.pk}/change/").status_code == 404
    # A new rate lands on the staff's own facility whatever the POST says.
    client.post(
        "/admin/orders/shippingrate/add/",
        {
            "province": "Bali",
            "first_kg_fee": 40000,
            "next_kg_fee": 25000,
            "facility": raha.pk,
        },
    )
    assert palembang.shipping_rates.filter(province="Bali").exists()
    assert not raha.shipping_rates.filter(province="Bali").exists()


@pytest.mark.parametrize("count", [3, 15])
def test_changelist_query_budget(client, django_assert_max_num_queries, count):
    facility = shop()
    product = ProductFactory(facility=facility, stock=100)
    for _ in range(count):
        place([(product, 1)])
    login(client, facility_staff(facility))
    with django_assert_max_num_queries(12):
        assert client.get(CHANGELIST).status_code == 200


def test_change_page_offers_the_next_steps(client, two_orders):
    own, _ = two_orders
    login(client, facility_staff(own.facility))
    page = client.get(f"{CHANGELIST}{own.pk}/change/").content.decode()
    assert 'data-step="confirm_payment"' in page and 'data-step="cancel"' in page
    assert 'data-step="complete"' not in page and 'data-step="ship"' not in page
    assert "Slip pengemasan" in page and "Faktur" in page
    reviewer_client = client.__class__()
    login(reviewer_client, regional_reviewer(own.facility.region))
    page = reviewer_client.get(f"{CHANGELIST}{own.pk}/change/").content.decode()
    assert 'data-step="confirm_payment"' not in page


def test_deadline_shown_in_the_facilitys_time_zone(client, mukena):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    mukena.facility.timezone = "Asia/Makassar"
    mukena.facility.save()
    order = place([(mukena, 1)]).orders[0]
    deadline = datetime(2026, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC"))
    Order.objects.filter(pk=order.pk).update(payment_deadline=deadline)
    client.post("/lacak/", {"code": order.code, "phone": "081234567890"})
    page = client.get(f"/lacak/{order.code}/").content.decode()
    assert "09:30 WITA" in page  # 01:30 UTC is 09:30 in Makassar


def test_search_by_phone_as_staff_type_it(client, two_orders):
    own, other = two_orders
    login(client, facility_staff(own.facility))
    body = client.get(CHANGELIST, {"q": "0812-3456-7890"}).content.decode()
    # Both orders share the phone; only the staff's own facility's shows.
    assert own.code in body and other.code not in body


def _region_rows(html: str) -> list[tuple[str, str, str]]:
    table = re.search(r'<table class="kb-regions">.*?</table>', html, re.S).group(0)
    return re.findall(
        r'<th scope="row">([^<]*)</th><td class="kb-region-code"><code>([^<]*)</code></td>'
        r"<td>([^<]*)</td>",
        table,
    )


def test_order_page_shows_the_official_region_codes_with_names_read_only(client, mukena, miniature):
    order = place([(mukena, 1)], delivery="courier", address=JAKARTA).orders[0]
    other = place([(miniature, 1)], delivery="courier", address=JAKARTA).orders[0]
    for user in (facility_staff(order.facility), regional_reviewer(order.facility.region)):
        login(client, user)
        response = client.get(f"{CHANGELIST}{order.pk}/change/")
        html = response.content.decode()
        assert _region_rows(html) == [
            ("Provinsi", "31", "DKI Jakarta"),
            ("Kabupaten/kota", "31.74", "Kota Administrasi Jakarta Selatan"),
            ("Kecamatan", "31.74.01", "Tebet"),
            ("Kelurahan/desa", "31.74.01.1002", "Tebet Barat"),
            ("Kode pos", "12810", ""),
        ]
        # Read-only: no input carries a code, and a post cannot change one.
        assert 'name="region_village_code"' not in html
        client.post(f"{CHANGELIST}{order.pk}/change/", {"region_village_code": "16.71.04.1001"})
        order.refresh_from_db()
        assert order.region_village_code == "31.74.01.1002"
    # Out of scope: the other facility's order (and its address) stays closed.
    login(client, facility_staff(order.facility))
    assert client.get(f"{CHANGELIST}{other.pk}/change/").status_code == 404


def test_order_page_says_when_an_order_has_no_region_codes(client, mukena):
    pickup = place([(mukena, 1)]).orders[0]
    legacy = place([(mukena, 1)], delivery="courier", address=JAKARTA).orders[0]
    Order.objects.filter(pk=legacy.pk).update(
        region_province_code="",
        region_regency_code="",
        region_district_code="",
        region_village_code="",
    )
    login(client, facility_staff(mukena.facility))
    html = client.get(f"{CHANGELIST}{legacy.pk}/change/").content.decode()
    assert "sebelum wilayah resmi" in html and "kb-regions" not in html
    html = client.get(f"{CHANGELIST}{pickup.pk}/change/").content.decode()
    assert "kb-regions" not in html
