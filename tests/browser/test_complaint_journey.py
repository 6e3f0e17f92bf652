"""A complaint on a 360 px phone, in Debian's chromium, against gunicorn as
production starts it (`gunicorn_site`): the shopper complains from the
tracking page with a photo, the facility does not answer, the deadline
service escalates it, the Kanwil decides a partial refund in the admin with
the photo at hand, and the shopper sees the decision."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import ListingStatus
from complaints.models import Complaint, ComplaintStatus
from orders import services as order_services
from orders.models import Order
from tests.browser.test_checkout_journeys import _check, _phone
from tests.browser.test_order_journeys import _admin_login
from tests.factories import head_office_user, regional_reviewer
from tests.orders.factories import JAKARTA, ProductFactory, place, shop


def _photo() -> dict:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 40, 40)).save(buffer, "JPEG")
    return {"name": "robek.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def role_groups(transactional_db):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)


@pytest.fixture
def shipped(role_groups):
    facility = shop(name="Lapas Perempuan Palembang", city="Palembang", province="Sumatera Selatan")
    # No product photo: gunicorn serves no /media/ (nginx does).
    product = ProductFactory(
        status=ListingStatus.APPROVED,
        facility=facility,
        name="Mukena Bordir",
        price=175_000,
        stock=5,
    )
    order = place(
        [(product, 1)], delivery="courier", payment="bank_transfer", address=JAKARTA
    ).orders[0]
    staff = head_office_user()
    order_services.order_confirm_payment(order=order, actor=staff)
    order_services.order_start_processing(order=order, actor=staff)
    order_services.order_ship(order=order, actor=staff, courier="JNE", tracking_number="JNE1")
    return Order.objects.get(pk=order.pk)


def test_complaint_escalated_and_decided_on_a_360px_phone(chromium, gunicorn_site, shipped):
    shopper = _phone(chromium, gunicorn_site, "complaint-shopper")
    try:
        shopper.visit("/lacak/", "track form")
        shopper.page.fill("#id_code", shipped.code)
        shopper.page.fill("#id_phone", "0812 3456 7890")
        shopper.page.get_by_role("button", name="Lacak").click()
        shopper.page.wait_for_load_state("load")
        _check(shopper, "order page")
        form = shopper.page.locator("form.complaint-form")
        form.locator("input[name=lines]").first.check()
        form.locator("select[name=reason]").select_option("damaged")
        form.locator("textarea[name=description]").fill("Jahitan bagian bawah robek.")
        form.locator("select[name=remedy]").select_option("partial_refund")
        form.locator("input[name=amount]").fill("50000")
        form.locator("input[name=photos]").set_input_files([_photo()])
        form.get_by_role("button", name="Kirim keluhan").click()
        shopper.page.wait_for_load_state("load")
        _check(shopper, "complaint sent")
        assert "Keluhan terkirim" in shopper.page.content()
        complaint = Complaint.objects.get()
        assert complaint.status == ComplaintStatus.OPEN and complaint.photos.count() == 1

        # The facility does not answer; the hourly command runs after the deadline.
        Complaint.objects.filter(pk=complaint.pk).update(
            answer_due_at=timezone.now() - timezone.timedelta(minutes=1)
        )
        call_command("escalate_complaints")
        complaint.refresh_from_db()
        assert complaint.status == ComplaintStatus.ESCALATED

        # The Kanwil decides in the admin, on the same phone size.
        kanwil = regional_reviewer(shipped.facility.region)
        desk = _phone(chromium, gunicorn_site, "complaint-kanwil")
        try:
            _admin_login(desk, kanwil.username)
            desk.visit(f"/admin/complaints/complaint/{complaint.pk}/change/", "escalated complaint")
            # The shopper's photo opens for the Kanwil (served privately by the app).
            link = desk.page.locator("a[href*='/foto/']").first.get_attribute("href")
            photo = desk.page.request.get(desk.url(link))
            assert photo.status == 200 and photo.headers["content-type"] == "image/jpeg"
            desk.page.select_option("#id_step", "decide")
            desk.page.select_option("#id_remedy", "partial_refund")
            desk.page.fill("#id_amount", "40000")
            desk.page.fill("#id_note", "Foto menunjukkan jahitan robek; refund sebagian.")
            desk.page.locator("input[name=_continue]").click()
            desk.page.wait_for_load_state("load")
            desk.check("decided")
        finally:
            desk.context.close()
        complaint.refresh_from_db()
        assert complaint.status == ComplaintStatus.DECIDED
        assert complaint.decision_amount == 40_000 and complaint.refund_due == 40_000

        shopper.visit(f"/lacak/{shipped.code}/", "shopper sees the decision")
        decision = shopper.page.locator(".complaint-decision").inner_text()
        assert "Putusan Kanwil" in decision and "Rp 40.000" in decision
        _check(shopper, "decision")
    finally:
        shopper.context.close()
