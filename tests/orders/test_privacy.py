"""Privacy (UU PDP 27/2022): the notice and consent at checkout, retention,
shoppers' requests from the tracking page, the staff access trail, and what
public pages and mail no longer show."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from facilities.scoping import scope_for
from orders import privacy, services
from orders.models import Checkout, Order, OrderEvent, OrderLine, OrderStatus, PaymentProof
from orders.payments.services.receipts import payment_proof_submit
from orders.privacy.models import AccessEvent, OrderErasure, PrivacyRequest
from orders.privacy.retention import retention_apply
from oversight import selectors as reports
from oversight.periods import add_months, this_month
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.factories import CONTACT, JAKARTA, place, shop

pytestmark = pytest.mark.django_db

LATER = timedelta(days=731)  # past the default 730-day retention


def msgs(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (200, 120), (200, 40, 40)).save(out, "JPEG")
    return SimpleUploadedFile("struk.jpg", out.getvalue(), content_type="image/jpeg")


def _completed_courier_order(product, *, staff):
    """A delivered order with everything personal filled in: note, receipt,
    tracking number."""
    order = place([(product, 2)], delivery="courier", address=JAKARTA).orders[0]
    Order.objects.filter(pk=order.pk).update(note="Titip ke satpam, Bu Siti")
    proof = payment_proof_submit(order=order, upload=_jpeg())
    services.order_confirm_payment(order=order, actor=staff)
    services.order_start_processing(order=order, actor=staff)
    services.order_ship(order=order, actor=staff, courier="JNE", tracking_number="JNE123456789")
    services.order_complete(order=order, actor=staff)
    order.refresh_from_db()
    proof.refresh_from_db()
    return order, proof


def _track(client, order, phone="081234567890"):
    response = client.post("/lacak/", {"code": order.code, "phone": phone})
    assert response.status_code == 302, "the order should open with its code and phone"


# --- notice and consent -------------------------------------------------------------


def test_notice_page_names_purpose_basis_recipients_retention_and_rights(client):
    body = client.get("/privasi/").content.decode()
    assert privacy.NOTICE_VERSION in body
    for words in ("dasar hukum", "Kanwil", "Kurir", "730 hari", "3×24 jam", "privasi@"):
        assert words in body, words


def test_footer_links_the_notice(client):
    assert 'href="/privasi/"' in client.get("/").content.decode()


def _checkout_post(client, product, **overrides):
    client.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    form = client.get("/checkout/").context["form"]
    data = {
        "idempotency_key": form.idempotency_key,
        "cart_token": form.cart_token,
        "c-name": "Siti Aminah",
        "c-phone": "0812-3456-7890",
        f"f{product.facility_id}-delivery": "pickup",
        "g-payment": "bank_transfer",
        "p-agree": "on",
        "action": "place",
        **overrides,
    }
    if "p-agree" in overrides and overrides["p-agree"] is None:
        data.pop("p-agree")
    return client.post("/checkout/", data)


def test_checkout_needs_consent_and_records_the_notice_version(client, mukena):
    page = client.get("/keranjang/")  # a session
    assert page.status_code == 200
    refused = _checkout_post(client, mukena, **{"p-agree": None})
    assert refused.status_code == 400
    assert "Setujui Syarat dan Ketentuan dan Kebijakan Privasi" in refused.content.decode()
    assert 'href="/privasi/"' in refused.content.decode()
    assert not Checkout.objects.exists()

    placed = _checkout_post(client, mukena)
    assert placed.status_code == 302
    checkout = Checkout.objects.get()
    assert checkout.privacy_notice_version == privacy.NOTICE_VERSION


# --- retention ----------------------------------------------------------------------


def test_retention_anonymises_exactly_the_shopper_data(
    mukena, media, django_capture_on_commit_callbacks
):
    staff = facility_staff(mukena.facility)
    order, proof = _completed_courier_order(mukena, staff=staff)
    receipt_path = media / proof.file.name
    assert receipt_path.exists()
    kept = {
        name: getattr(order, name)
        for name in (
            "code",
            "facility_id",
            "status",
            "province",
            "subtotal",
            "shipping_fee",
            "total",
            "total_weight_grams",
            "created_at",
            "delivery_method",
            "payment_method",
            "courier",
        )
    }
    lines = list(OrderLine.objects.filter(order=order).values())
    events = OrderEvent.objects.filter(order=order).count()

    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply(now=timezone.now() + LATER)

    assert (report.anonymised, report.receipt_files) == (1, 1)
    order.refresh_from_db()
    assert order.contact_name == "Anonim"
    for name in ("contact_phone", "contact_email", "street", "district", "city", "postal_code"):
        assert getattr(order, name) == "", name
    assert order.note == "" and order.tracking_number == ""
    assert {name: getattr(order, name) for name in kept} == kept
    assert list(OrderLine.objects.filter(order=order).values()) == lines
    assert OrderEvent.objects.filter(order=order).count() == events
    proof.refresh_from_db()
    assert not proof.file and not receipt_path.exists()
    assert proof.status == PaymentProof.Status.ACCEPTED  # the review itself stays
    assert OrderErasure.objects.get(order=order).reason == OrderErasure.Reason.RETENTION


def test_retention_waits_for_the_period_and_for_the_order_to_end(mukena, miniature):
    staff = facility_staff(mukena.facility)
    ended, _proof = _completed_courier_order(mukena, staff=staff)
    still_open = place([(miniature, 1)]).orders[0]
    # The day before the period ends nothing happens; open orders never count.
    assert retention_apply(now=timezone.now() + timedelta(days=729)).anonymised == 0
    assert retention_apply(now=timezone.now() + LATER * 3).anonymised == 1
    ended.refresh_from_db()
    still_open.refresh_from_db()
    assert ended.contact_name == "Anonim"
    assert still_open.contact_name == CONTACT.name


def test_retention_is_idempotent_and_keeps_money_still_being_checked(mukena, media):
    staff = facility_staff(mukena.facility)
    _completed_courier_order(mukena, staff=staff)
    # A receipt uploaded, then the order expired before anyone checked it.
    unchecked = place([(mukena, 1)]).orders[0]
    payment_proof_submit(order=unchecked, upload=_jpeg())
    Order.objects.filter(pk=unchecked.pk).update(status=OrderStatus.EXPIRED)

    first = retention_apply(now=timezone.now() + LATER)
    second = retention_apply(now=timezone.now() + LATER)
    assert first.anonymised == 1 and second.anonymised == 0
    assert [code for code, _reason in first.held] == [unchecked.code]
    assert "belum diperiksa" in first.held[0][1]
    assert OrderErasure.objects.count() == 1


def _report_figures(scope):
    first, last = add_months(this_month(), -11), this_month()
    sales = reports.sales_by_facility_month(
        scope, facilities=scope.facilities(), first=first, last=last
    )
    return (
        sales,
        reports.proceeds_allocation(sales),
        reports.product_recap(scope, facilities=scope.facilities()),
        reports.public_impact(),
        reports.top_products(scope),
    )


def test_reports_give_the_same_totals_before_and_after_retention(client, mukena, miniature):
    staff = facility_staff(mukena.facility)
    for _ in range(2):
        _completed_courier_order(mukena, staff=staff)
    place([(miniature, 1)])  # open: untouched
    cancelled = place([(miniature, 2)]).orders[0]
    services.order_cancel(order=cancelled, reason="salah pilih", by_shopper=True)
    boss = head_office_user()
    scope = scope_for(boss)
    before = _report_figures(scope)
    assert sum(row.total for row in before[0]) > 0
    client.force_login(boss)
    url = f"/admin/laporan/penjualan.csv?first={add_months(this_month(), -11):%Y-%m}"
    csv_before = client.get(url).content

    assert retention_apply(now=timezone.now() + LATER).anonymised == 3
    assert _report_figures(scope) == before
    assert client.get(url).content == csv_before
    cancelled.refresh_from_db()
    assert cancelled.cancel_reason == ""  # the shopper's own words went too
    assert not OrderEvent.objects.filter(order=cancelled, note="salah pilih").exists()


def test_apply_retention_command_reports_and_clears_expired_sessions(mukena, settings):
    settings.PRIVACY_RETENTION_DAYS = 0
    staff = facility_staff(mukena.facility)
    _completed_courier_order(mukena, staff=staff)
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    Session.objects.create(
        session_key="y" * 32, session_data="", expire_date=timezone.now() + timedelta(days=1)
    )
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "1 order(s) anonymised" in out.getvalue()
    assert "1 expired session(s) deleted" in out.getvalue()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["y" * 32]
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert out.getvalue().startswith("0 order(s) anonymised")


# --- requests from the tracking page ------------------------------------------------

PRIVACY_PAGES = [
    ("get", ""),
    ("post", "kirim-kode/"),
    ("post", "verifikasi/"),
    ("post", "unduh/"),
    ("post", "ubah/"),
    ("post", "hapus/"),
]


@pytest.mark.parametrize(("method", "tail"), PRIVACY_PAGES)
def test_without_code_and_phone_a_request_reveals_nothing(client, mukena, method, tail):
    order = place(
        [(mukena, 1)], contact=services.Contact(name="Siti", phone="+6281234567890")
    ).orders[0]
    real = getattr(client, method)(f"/lacak/{order.code}/data-pribadi/{tail}")
    made_up = getattr(client, method)(f"/lacak/ACDEFGHJKM/data-pribadi/{tail}")
    # Holding the code but the wrong phone: the tracking form refused, no session.
    client.post("/lacak/", {"code": order.code, "phone": "081299999999"})
    wrong_phone = getattr(client, method)(f"/lacak/{order.code}/data-pribadi/{tail}")
    for response in (real, made_up, wrong_phone):
        assert (response.status_code, response["Location"]) == (302, "/lacak/")
        assert response.content == b""
    assert not PrivacyRequest.objects.exists()
    assert Order.objects.get(pk=order.pk).contact_name == "Siti"


def test_another_orders_session_does_not_open_this_one(client, mukena):
    mine = place([(mukena, 1)], contact=services.Contact(name="A", phone="+6281234567890"))
    theirs = place([(mukena, 1)], contact=services.Contact(name="B", phone="+6281299999999"))
    _track(client, mine.orders[0])
    response = client.post(f"/lacak/{theirs.orders[0].code}/data-pribadi/unduh/")
    assert response["Location"] == "/lacak/"


def test_no_email_order_downloads_at_once_and_says_the_limit(client, mukena):
    contact = services.Contact(name="Siti Aminah", phone="+6281234567890")
    order = place([(mukena, 1)], contact=contact).orders[0]
    _track(client, order)
    page = client.get(f"/lacak/{order.code}/data-pribadi/").content.decode()
    assert "satu-satunya pemeriksaan" in page and "SMS" in page
    summary = page.split("Yang kami simpan")[1].split("</section>")[0]
    assert "+62812•••••890" in summary and "S•••" in summary
    assert "+6281234567890" not in summary and "Siti Aminah" not in summary
    response = client.post(f"/lacak/{order.code}/data-pribadi/unduh/")
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["kode_pesanan"] == order.code
    assert data["kontak"] == {"nama": "Siti Aminah", "telepon": "+6281234567890", "email": ""}
    assert data["produk"][0]["jumlah"] == 1
    assert PrivacyRequest.objects.get().kind == PrivacyRequest.Kind.ACCESS


def test_an_order_with_email_asks_for_a_mailed_one_time_code(client, mukena):
    order = place([(mukena, 1)]).orders[0]  # CONTACT has an email
    _track(client, order)
    base = f"/lacak/{order.code}/data-pribadi/"
    blocked = client.post(base + "unduh/")
    assert blocked["Location"] == base and "kode verifikasi" in msgs(blocked)

    mail.outbox.clear()
    client.post(base + "kirim-kode/")
    assert [m.to for m in mail.outbox] == [["siti@example.com"]]
    otp = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    assert "/privasi/" in mail.outbox[0].body
    wrong = "000000" if otp != "000000" else "111111"
    assert "salah" in msgs(client.post(base + "verifikasi/", {"otp": wrong}))
    assert client.post(base + "unduh/")["Location"] == base
    assert "Terverifikasi" in msgs(client.post(base + "verifikasi/", {"otp": otp}))
    data = json.loads(client.post(base + "unduh/").content)
    assert data["kontak"]["email"] == "siti@example.com"


def test_one_time_code_allows_five_tries(client, mukena):
    order = place([(mukena, 1)]).orders[0]
    _track(client, order)
    base = f"/lacak/{order.code}/data-pribadi/"
    client.post(base + "kirim-kode/")
    otp = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong = "000000" if otp != "000000" else "111111"
    for _ in range(5):
        client.post(base + "verifikasi/", {"otp": wrong})
    assert "salah" in msgs(client.post(base + "verifikasi/", {"otp": otp}))
    assert client.post(base + "unduh/")["Location"] == base


def test_one_time_code_mails_are_capped_per_session_and_per_order(client, mukena):
    order = place([(mukena, 1)]).orders[0]
    mail.outbox.clear()
    _track(client, order)
    base = f"/lacak/{order.code}/data-pribadi/"
    for _ in range(4):
        client.post(base + "kirim-kode/")
    assert len(mail.outbox) == 3
    # New sessions, each opened with code and phone: six mails an hour in all.
    for _ in range(4):
        client.cookies.clear()
        _track(client, order)
        client.post(base + "kirim-kode/")
    assert len(mail.outbox) == 6


def test_deleting_an_order_in_progress_is_refused_with_a_reason(client, mukena, settings):
    settings.PRIVACY_OTP_BY_EMAIL = False
    order = place([(mukena, 1)]).orders[0]
    _track(client, order)
    response = client.post(f"/lacak/{order.code}/data-pribadi/hapus/")
    assert "masih berjalan" in msgs(response)
    request = PrivacyRequest.objects.get()
    assert request.status == PrivacyRequest.Status.REFUSED
    assert "masih berjalan" in request.refusal_reason
    order.refresh_from_db()
    assert order.contact_name == CONTACT.name
    assert not OrderErasure.objects.exists()
    page = client.get(f"/lacak/{order.code}/data-pribadi/").content.decode()
    assert "masih berjalan" in page


def test_deletion_of_an_ended_order_waits_for_staff_in_scope(
    client, mukena, miniature, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_OTP_BY_EMAIL = False
    staff = facility_staff(mukena.facility)
    order, _proof = _completed_courier_order(mukena, staff=staff)
    _track(client, order)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/lacak/{order.code}/data-pribadi/hapus/")
    assert "paling lambat" in msgs(response)
    client.post(f"/lacak/{order.code}/data-pribadi/hapus/")  # a double click: one request
    request = PrivacyRequest.objects.get()
    # The facility is told, with the deadline and a link, nothing about the shopper.
    told = [m for m in mail.outbox if "Permintaan penghapusan" in m.subject]
    assert len(told) == 1 and told[0].to == [mukena.facility.email]
    assert f"/admin/orders/privacyrequest/{request.pk}/change/" in told[0].body
    assert CONTACT.phone not in told[0].body and CONTACT.name not in told[0].body
    assert request.status == PrivacyRequest.Status.OPEN
    assert request.due_at - request.created_at == timedelta(hours=72)

    # Another facility's staff neither see nor act on it.
    stranger = facility_staff(miniature.facility)
    client.force_login(stranger)
    listing = client.get("/admin/orders/privacyrequest/").content.decode()
    assert order.code not in listing
    client.post(
        "/admin/orders/privacyrequest/", {"action": "fulfil", "_selected_action": [request.pk]}
    )
    request.refresh_from_db()
    assert request.status == PrivacyRequest.Status.OPEN

    client.force_login(staff)
    listing = client.get("/admin/orders/privacyrequest/").content.decode()
    assert order.code in listing and "jam" in listing
    client.post(
        "/admin/orders/privacyrequest/", {"action": "fulfil", "_selected_action": [request.pk]}
    )
    request.refresh_from_db()
    order.refresh_from_db()
    assert request.status == PrivacyRequest.Status.DONE and request.handled_by == staff
    assert order.contact_name == "Anonim" and order.contact_phone == ""
    assert OrderErasure.objects.get(order=order).reason == OrderErasure.Reason.REQUEST
    # The order can no longer be opened with the old phone: nothing is left to show.
    client.logout()
    assert client.post("/lacak/", {"code": order.code, "phone": "081234567890"}).status_code == 404


def test_staff_refuse_a_deletion_with_a_reason(client, mukena):
    staff = facility_staff(mukena.facility)
    order, _proof = _completed_courier_order(mukena, staff=staff)
    request = privacy.privacy_deletion_request(order=order)
    client.force_login(staff)
    url = "/admin/orders/privacyrequest/"
    form = client.post(url, {"action": "refuse", "_selected_action": [request.pk]})
    assert "Alasan penolakan" in form.content.decode()
    client.post(
        url,
        {
            "action": "refuse",
            "_selected_action": [request.pk],
            "apply": "1",
            "reason": "Sengketa pengiriman dengan kurir masih diperiksa.",
        },
    )
    request.refresh_from_db()
    assert request.status == PrivacyRequest.Status.REFUSED
    assert request.refusal_reason.startswith("Sengketa")
    assert Order.objects.get(pk=order.pk).contact_name == CONTACT.name


def test_correction_on_an_open_order_records_field_names_not_values(client, mukena, settings):
    settings.PRIVACY_OTP_BY_EMAIL = False
    order = place([(mukena, 1)]).orders[0]
    _track(client, order)
    page = client.get(f"/lacak/{order.code}/data-pribadi/")
    assert page.context["contact_form"] is not None
    response = client.post(
        f"/lacak/{order.code}/data-pribadi/ubah/",
        {"c-name": "Siti Aminah Lubis", "c-phone": "0813-1111-2222", "c-email": ""},
    )
    assert "diperbarui" in msgs(response)
    order.refresh_from_db()
    assert (order.contact_name, order.contact_phone, order.contact_email) == (
        "Siti Aminah Lubis",
        "+6281311112222",
        "",
    )
    request = PrivacyRequest.objects.get()
    assert request.kind == PrivacyRequest.Kind.CORRECTION
    assert "Lubis" not in request.detail and "2222" not in request.detail
    assert "nama" in request.detail and "telepon" in request.detail

    bad = client.post(
        f"/lacak/{order.code}/data-pribadi/ubah/", {"c-name": "", "c-phone": "12", "c-email": ""}
    )
    assert bad.status_code == 400 and "Periksa lagi" in msgs(bad)


def test_correction_is_refused_once_shipped(mukena):
    staff = facility_staff(mukena.facility)
    order, _proof = _completed_courier_order(mukena, staff=staff)
    with pytest.raises(privacy.PrivacyError, match="tidak bisa diubah"):
        privacy.order_contact_correct(
            order=order, contact=services.Contact(name="X", phone="+6281311112222"), address=None
        )


# --- minimisation -------------------------------------------------------------------


def test_tracking_page_masks_phone_and_address(client, mukena):
    order = place([(mukena, 1)], delivery="courier", address=JAKARTA).orders[0]
    _track(client, order)
    body = client.get(f"/lacak/{order.code}/").content.decode()
    assert "+6281234567890" not in body and "Tebet Raya" not in body and "12810" not in body
    assert "+62812•••••890" in body
    assert "Jl. T•••, Kota Administrasi Jakarta Selatan, DKI Jakarta" in body
    assert f'href="/lacak/{order.code}/data-pribadi/"' in body and 'href="/privasi/"' in body


def test_mail_carries_the_notice_and_the_facility_mail_no_contact(
    mukena, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        place([(mukena, 1)], delivery="courier", address=JAKARTA)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "/privasi/" in message.body
    facility_mail = next(m for m in mail.outbox if m.to != ["siti@example.com"])
    for personal in ("+6281234567890", "Tebet Raya", "Siti"):
        assert personal not in facility_mail.body


# --- the access trail -----------------------------------------------------------------


def test_trail_records_views_receipts_prints_and_exports(client, mukena, media):
    staff = facility_staff(mukena.facility)
    order = place([(mukena, 1)]).orders[0]
    other = place([(mukena, 1)]).orders[0]
    proof = payment_proof_submit(order=order, upload=_jpeg())
    client.force_login(staff)
    base = "/admin/orders/order/"
    assert client.get(f"{base}{order.pk}/change/").status_code == 200
    assert client.get(f"{base}{order.pk}/bukti/{proof.pk}/").status_code == 200
    assert client.get(f"{base}{order.pk}/slip/").status_code == 200
    export = client.post(base, {"action": "export_csv", "_selected_action": [order.pk, other.pk]})
    assert export.status_code == 200
    assert "+6281234567890" not in export.content.decode()  # the list does not need the phone

    events = list(AccessEvent.objects.order_by("id"))
    assert [e.action for e in events] == [
        AccessEvent.Action.ORDER_VIEWED,
        AccessEvent.Action.RECEIPT_OPENED,
        AccessEvent.Action.PRINTED,
        AccessEvent.Action.EXPORTED,
    ]
    assert all(e.actor == staff and e.actor_username == staff.username for e in events)
    assert events[0].order_codes == [order.code]
    assert sorted(events[3].order_codes) == sorted([order.code, other.code])
    assert events[3].order_count == 2
    # The trail names orders by code only: no shopper data in it.
    for event in AccessEvent.objects.values():
        text = json.dumps(event, default=str)
        assert "Siti" not in text and "81234567890" not in text and "@" not in text

    # Nothing is logged for what the viewer was not allowed to see.
    count = AccessEvent.objects.count()
    client.force_login(facility_staff(shop(name="Rutan Lain Uji")))
    assert client.get(f"{base}{order.pk}/change/").status_code == 404
    assert client.get(f"{base}{order.pk}/bukti/{proof.pk}/").status_code == 404
    assert AccessEvent.objects.count() == count


def test_only_head_office_reads_the_trail(client, mukena):
    staff = facility_staff(mukena.facility)
    client.force_login(staff)
    order = place([(mukena, 1)]).orders[0]
    client.get(f"/admin/orders/order/{order.pk}/change/")
    url = "/admin/orders/accessevent/"
    assert client.get(url).status_code == 403
    client.force_login(regional_reviewer(mukena.facility.region))
    assert client.get(url).status_code == 403
    client.force_login(head_office_user())
    body = client.get(url).content.decode()
    assert staff.username in body and order.code in body
    found = client.get(url, {"q": order.code.lower()}).content.decode()
    assert staff.username in found


def test_reviewers_watch_their_regions_requests_without_acting(client, mukena, miniature):
    staff = facility_staff(mukena.facility)
    order, _proof = _completed_courier_order(mukena, staff=staff)
    request = privacy.privacy_deletion_request(order=order)
    url = "/admin/orders/privacyrequest/"
    client.force_login(regional_reviewer(mukena.facility.region))
    body = client.get(url).content.decode()
    assert order.code in body and 'value="fulfil"' not in body
    client.post(url, {"action": "fulfil", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert request.status == PrivacyRequest.Status.OPEN
    client.force_login(regional_reviewer(miniature.facility.region))
    assert order.code not in client.get(url).content.decode()
    # Head office: the request and, once carried out, the erasure.
    boss = head_office_user()
    privacy.privacy_request_fulfil(request=request, actor=boss)
    client.force_login(boss)
    assert order.code in client.get("/admin/orders/ordererasure/").content.decode()
