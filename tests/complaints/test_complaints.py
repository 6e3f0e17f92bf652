"""Complaints: who may open one, the answer/dispute/escalate/decide flow with a
fixed clock, scope, and refunds in the books."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, ComplaintEvent, ComplaintStatus
from orders.models import OrderEvent, OrderStatus
from orders.payments.models import OrderRefund
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.test_services import _order_in
from tests.orders.test_views import _tracking

REFUSAL = "Kode pesanan atau nomor HP tidak cocok."


def _refused(response):
    return response.status_code == 404 and REFUSAL in response.content.decode()


def _post(client, order, lines, **extra):
    data = {
        "lines": [line.pk for line in lines],
        "reason": "damaged",
        "description": "Jahitan robek di bagian bawah.",
        "remedy": "partial_refund",
        "amount": "50000",
        **extra,
    }
    return client.post(f"/lacak/{order.code}/keluhan/", data)


@pytest.fixture
def shipped(mukena):
    return _order_in(OrderStatus.SHIPPED, mukena, delivery="courier")[0]


def test_shopper_complains_once_per_line_from_tracking_page(
    client, shipped, mailoutbox, django_capture_on_commit_callbacks
):
    _tracking(client, shipped)
    assert "Ajukan keluhan" in client.get(f"/lacak/{shipped.code}/").content.decode()
    line = shipped.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, shipped, [line])
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.status, complaint.amount_wanted, complaint.facility_id) == (
        "open",
        50_000,
        shipped.facility_id,
    )
    assert complaint.events.get().actor_label == "Pembeli"
    # The facility hears of it.
    assert any("Keluhan baru" in m.subject for m in mailoutbox)
    # A second complaint on the same line, while the first is open.
    assert _refused(_post(client, shipped, [line]))
    assert Complaint.objects.count() == 1


def test_refusals_look_like_a_wrong_code(client, mukena, shipped):
    line = shipped.lines.get()
    # Code and phone not proved in this session (e.g. wrong phone).
    client.post("/lacak/", {"code": shipped.code, "phone": "081299999999"})
    assert _refused(_post(client, shipped, [line]))
    # Not shipped yet.
    processing = _order_in(OrderStatus.PROCESSING, mukena)[0]
    _tracking(client, processing)
    assert _refused(_post(client, processing, [processing.lines.get()]))
    # Another order's line, posted against a proved order.
    _tracking(client, shipped)
    assert _refused(_post(client, shipped, [processing.lines.get()]))
    assert Complaint.objects.count() == 0


def test_too_late_after_the_window(client, shipped, settings):
    settings.COMPLAINT_WINDOW_DAYS = 7
    OrderEvent.objects.filter(order=shipped).update(created_at=timezone.now() - timedelta(days=8))
    _tracking(client, shipped)
    assert _refused(_post(client, shipped, [shipped.lines.get()]))
    # One day inside the window it is allowed (the rule, not the clock, decided).
    OrderEvent.objects.filter(order=shipped).update(created_at=timezone.now() - timedelta(days=6))
    assert _post(client, shipped, [shipped.lines.get()]).status_code == 302


def _open(order, **kw):
    return services.complaint_open(
        order=order,
        line_ids=[order.lines.get().pk],
        reason="damaged",
        description="rusak",
        remedy=kw.pop("remedy", "partial_refund"),
        amount=kw.pop("amount", 50_000),
        **kw,
    )


def test_escalation_by_deadline_with_a_fixed_clock(shipped, settings):
    settings.COMPLAINT_ANSWER_DAYS = 2
    friday = timezone.make_aware(timezone.datetime(2026, 11, 27, 10, 0))
    complaint = _open(shipped, now=friday)
    # Two working days from a Friday: Tuesday, not Sunday.
    assert complaint.answer_due_at.weekday() == 1
    assert services.complaint_escalate_overdue(now=friday + timedelta(days=3)) == 0
    assert services.complaint_escalate_overdue(now=friday + timedelta(days=4, hours=1)) == 1
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ESCALATED
    assert complaint.events.last().actor_label == "Sistem"
    # Running again changes nothing.
    assert services.complaint_escalate_overdue(now=friday + timedelta(days=9)) == 0


def test_command_escalates_overdue(shipped):
    complaint = _open(shipped)
    Complaint.objects.filter(pk=complaint.pk).update(
        answer_due_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("escalate_complaints")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ESCALATED


def test_answer_then_dispute_then_kanwil_decides(
    client, shipped, palembang, raha, mailoutbox, django_capture_on_commit_callbacks
):
    shipped.contact_email = "pembeli@example.com"
    shipped.save(update_fields=["contact_email"])
    complaint = _open(shipped)
    # Staff of another facility cannot answer; nor see it in the admin.
    other = facility_staff(raha)
    with pytest.raises(services.ComplaintError):
        services.complaint_answer(complaint=complaint, actor=other, kind="accept")
    client.force_login(other)
    assert client.get(f"/admin/complaints/complaint/{complaint.pk}/change/").status_code == 404
    assert "rusak" not in client.get("/admin/complaints/complaint/").content.decode()
    # Own staff answer through the admin step in place: reject with reason.
    staff = facility_staff(palembang)
    client.force_login(staff)
    page = client.get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    assert page.status_code == 200 and "Jawab keluhan" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/complaints/complaint/{complaint.pk}/change/",
            {
                "step": "answer",
                "answer_kind_new": "reject",
                "note": "Barang dikirim dalam keadaan baik.",
                "complaintevent_set-TOTAL_FORMS": "0",
                "complaintevent_set-INITIAL_FORMS": "0",
                "events-TOTAL_FORMS": "0",
                "events-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED and complaint.answer_kind == "reject"
    assert any(m.to == ["pembeli@example.com"] for m in mailoutbox)
    # The facility's own staff cannot decide the escalation.
    client.logout()
    _tracking(client, shipped)
    client.post(f"/lacak/{shipped.code}/keluhan/{complaint.pk}/", {"action": "dispute"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ESCALATED
    with pytest.raises(services.ComplaintError):
        services.complaint_decide(complaint=complaint, actor=staff, remedy="none", note="x")
    # A reviewer of another region cannot either.
    with pytest.raises(services.ComplaintError):
        services.complaint_decide(
            complaint=complaint, actor=regional_reviewer(raha.region), remedy="none", note="x"
        )
    kanwil = regional_reviewer(palembang.region)
    services.complaint_decide(
        complaint=complaint,
        actor=kanwil,
        remedy="partial_refund",
        amount=40_000,
        note="Foto menunjukkan jahitan robek.",
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.DECIDED
    # Paid by bank transfer: owed as a manual transfer until staff record it.
    assert complaint.refund_due == 40_000 and not OrderRefund.objects.exists()
    services.complaint_refund_transfer_record(complaint=complaint, actor=staff, reference="TRF-1")
    refund = OrderRefund.objects.get()
    assert (refund.amount, refund.method, refund.recorded_by) == (40_000, "transfer", staff)
    assert [e.to_status for e in ComplaintEvent.objects.filter(complaint=complaint)] == [
        "open",
        "answered",
        "escalated",
        "decided",
        "decided",
    ]
    # The shopper sees the decision; the line may be complained about again.
    page = client.get(f"/lacak/{shipped.code}/").content.decode()
    assert "Putusan Kanwil" in page and "Rp 40.000" in page


def test_shopper_cannot_touch_another_orders_complaint(client, mukena, shipped):
    complaint = _open(shipped)
    services.complaint_answer(
        complaint=complaint, actor=facility_staff(shipped.facility), kind="accept"
    )
    other = _order_in(OrderStatus.SHIPPED, mukena, delivery="courier")[0]
    _tracking(client, other)
    response = client.post(f"/lacak/{other.code}/keluhan/{complaint.pk}/", {"action": "accept"})
    assert _refused(response)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED


def test_head_office_sees_all_and_decides(shipped):
    complaint = _open(shipped)
    services.complaint_escalate_overdue(now=timezone.now() + timedelta(days=30))
    services.complaint_decide(
        complaint=complaint, actor=head_office_user(), remedy="replacement", note="Ganti barang."
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.DECIDED and complaint.refund_due is None


def _png(color=(200, 30, 30)):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), "image/png")


def test_photos_are_private_and_hostile_files_refused(client, shipped, media, palembang, raha):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _tracking(client, shipped)
    line = shipped.lines.get()
    fake = SimpleUploadedFile("foto.png", b"<script>alert(1)</script>", "image/png")
    response = _post(client, shipped, [line], photos=[fake])
    assert response.status_code == 302 and not Complaint.objects.exists()
    four = [_png() for _ in range(4)]
    _post(client, shipped, [line], photos=four)
    assert not Complaint.objects.exists()  # more than 3 photos
    _post(client, shipped, [line], photos=[_png(), _png((0, 0, 200))])
    complaint = Complaint.objects.get()
    photos = list(complaint.photos.all())
    assert len(photos) == 2 and all(p.file.name.startswith("private/complaints/") for p in photos)
    url = f"/admin/complaints/complaint/{complaint.pk}/foto/{photos[0].pk}/"
    client.force_login(facility_staff(raha))
    assert client.get(url).status_code == 404
    client.force_login(facility_staff(palembang))
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "image/jpeg"  # re-encoded, whatever was sent


def test_rate_limited(client, shipped, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "complaint": {"per_session": 2, "per_address": 100, "window": 3600},
    }
    _tracking(client, shipped)
    line = shipped.lines.get()
    assert _post(client, shipped, [line], description="").status_code == 302  # bad field
    assert _post(client, shipped, [line], description="").status_code == 302
    response = _post(client, shipped, [line])
    assert response.status_code == 429 and not Complaint.objects.exists()
