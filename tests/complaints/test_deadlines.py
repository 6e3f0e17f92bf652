"""Working days skip Indonesia's public holidays; answers the shopper leaves
alone close as resolved in the deadline sweep, once."""

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, ComplaintStatus
from complaints.workdays import add_working_days, is_working_day
from orders.models import OrderEvent, OrderStatus
from tests.factories import facility_staff
from tests.orders.test_services import _order_in
from tests.orders.test_views import _tracking


def _wib(*args):
    return timezone.make_aware(datetime(*args))


def test_public_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 12, 25))  # Christmas, a Friday
    assert not is_working_day(date(2026, 8, 17))  # Independence Day, a Monday
    assert not is_working_day(date(2026, 12, 26))  # Saturday
    assert is_working_day(date(2026, 12, 23))


def test_cuti_bersama_is_not_a_working_day():
    # SKB 3 Menteri 2026: Thursday 24 December is cuti bersama (joint leave)
    # before Christmas, and Friday 20 March, Monday 23 and Tuesday 24 March
    # around Idul Fitri; government offices, UPTs included, are closed.
    for day in (date(2026, 12, 24), date(2026, 3, 20), date(2026, 3, 23), date(2026, 5, 15)):
        assert not is_working_day(day), day
    # Control: the days beside them are ordinary working days.
    assert is_working_day(date(2026, 12, 23))
    assert is_working_day(date(2026, 3, 25))


def test_deadline_across_cuti_bersama_and_idul_fitri():
    # Thu 19 March 2026 (Nyepi): Fri 20 (cuti bersama), the weekend, Mon 23 and Tue 24
    # (cuti bersama); the first working day after is Wednesday 25 March.
    assert add_working_days(_wib(2026, 3, 19, 10, 0), 1).date() == date(2026, 3, 25)


def test_deadline_across_christmas_is_a_day_longer():
    thursday = _wib(2026, 12, 24, 10, 0)
    # Fri 25 Dec is Christmas, then the weekend: 1 working day is Monday 28.
    assert add_working_days(thursday, 1).date() == date(2026, 12, 28)
    assert add_working_days(thursday, 3).date() == date(2026, 12, 30)
    # The same count from an ordinary Thursday lands on Tuesday.
    assert add_working_days(_wib(2026, 12, 10, 10, 0), 3).date() == date(2026, 12, 15)


def test_days_are_counted_in_wib_not_utc():
    # 23:30 WIB on Friday is 16:30 UTC Friday; Saturday 00:30 WIB is Friday UTC.
    saturday_early = _wib(2026, 11, 28, 0, 30)
    assert add_working_days(saturday_early, 1).date() == date(2026, 11, 30)


@pytest.fixture
def shipped(mukena):
    return _order_in(OrderStatus.SHIPPED, mukena, delivery="courier")[0]


def _open(order, now, **kw):
    # Shipped the day before `now`, so the complaint window is open then.
    OrderEvent.objects.filter(order=order).update(created_at=now - timedelta(days=1))
    return services.complaint_open(
        order=order,
        line_ids=[order.lines.get().pk],
        reason="damaged",
        description="rusak",
        remedy=kw.pop("remedy", "partial_refund"),
        amount=kw.pop("amount", 50_000),
        now=now,
    )


def test_escalation_deadline_skips_christmas(shipped, settings):
    settings.COMPLAINT_ANSWER_DAYS = 2
    thursday = _wib(2026, 12, 24, 10, 0)
    complaint = _open(shipped, thursday)
    # Fri 25 (holiday), weekend: Mon 28, Tue 29.
    assert timezone.localtime(complaint.answer_due_at).date() == date(2026, 12, 29)
    assert services.complaint_escalate_overdue(now=_wib(2026, 12, 29, 9, 0)) == 0
    assert services.complaint_escalate_overdue(now=_wib(2026, 12, 29, 11, 0)) == 1


def _answered(order, mukena, now, **answer):
    complaint = _open(order, now)
    Complaint.objects.filter(pk=complaint.pk).update(answer_due_at=now + timedelta(days=30))
    staff = facility_staff(mukena.facility)
    services.complaint_answer(complaint=complaint, actor=staff, kind="accept", **answer)
    Complaint.objects.filter(pk=complaint.pk).update(answered_at=now)
    return Complaint.objects.get(pk=complaint.pk)


def test_answer_left_alone_closes_as_resolved_once(shipped, mukena, settings):
    settings.COMPLAINT_CLOSE_DAYS = 2
    thursday = _wib(2026, 12, 24, 10, 0)
    complaint = _answered(shipped, mukena, thursday)
    assert timezone.localtime(services.accept_due_at(complaint)).date() == date(2026, 12, 29)
    # Still within the shopper's time (the holiday counts out).
    assert services.complaint_close_unanswered(now=_wib(2026, 12, 28, 12, 0)) == 0
    assert services.complaint_close_unanswered(now=_wib(2026, 12, 29, 10, 1)) == 1
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED
    event = complaint.events.last()
    assert (event.actor_id, event.actor_label, event.from_status) == (None, "Sistem", "answered")
    # Bank transfer order: the accepted partial refund is owed by transfer.
    assert complaint.refund_due == 50_000
    # Idempotent: a second sweep changes nothing and writes no event.
    events = complaint.events.count()
    assert services.complaint_close_unanswered(now=_wib(2027, 1, 30, 10, 0)) == 0
    assert complaint.events.count() == events


def test_disputed_or_accepted_answers_are_not_closed(shipped, mukena, settings):
    settings.COMPLAINT_CLOSE_DAYS = 1
    monday = _wib(2026, 11, 2, 10, 0)
    complaint = _answered(shipped, mukena, monday)
    services.complaint_dispute(complaint=complaint, note="tidak setuju")
    assert services.complaint_close_unanswered(now=monday + timedelta(days=10)) == 0
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.ESCALATED


def test_command_runs_both_sweeps(shipped, mukena, settings):
    settings.COMPLAINT_CLOSE_DAYS = 1
    complaint = _answered(shipped, mukena, timezone.now() - timedelta(days=10))
    call_command("escalate_complaints")
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.RESOLVED


def test_tracking_page_states_the_time_to_respond(client, shipped, mukena, settings):
    settings.COMPLAINT_CLOSE_DAYS = 5
    _answered(shipped, mukena, timezone.now())
    _tracking(client, shipped)
    page = client.get(f"/lacak/{shipped.code}/").content.decode()
    assert "Tanggapi sebelum" in page and "jawaban UPT berlaku" in page


def test_terms_state_working_days_and_the_time_to_respond(client, settings):
    settings.COMPLAINT_ANSWER_DAYS, settings.COMPLAINT_CLOSE_DAYS = 3, 5
    body = client.get("/syarat/").content.decode()
    assert "UPT menjawab dalam 3 hari kerja" in body
    assert "dalam 5 hari kerja; bila tidak ditanggapi, pengaduan ditutup" in body


def test_a_short_window_still_gives_the_law_s_two_working_days(shipped, settings):
    """COMPLAINT_WINDOW_DAYS=2 from Thursday 24 Dec 2026: Christmas and the
    weekend follow, so the window lasts until Tuesday 29, not Saturday."""
    settings.COMPLAINT_WINDOW_DAYS = 2
    thursday = _wib(2026, 12, 24, 10, 0)
    OrderEvent.objects.filter(order=shipped).update(created_at=thursday)
    assert services.eligible_lines(order=shipped, now=_wib(2026, 12, 28, 10, 0))
    assert services.eligible_lines(order=shipped, now=_wib(2026, 12, 29, 9, 0))
    assert not services.eligible_lines(order=shipped, now=_wib(2026, 12, 29, 11, 0))
