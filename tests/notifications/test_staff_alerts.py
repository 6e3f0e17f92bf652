"""Staff told in time (notifications.staff_alerts): urgent work and the
morning digest by mail and WhatsApp, as each account chose, through the
queue, once per piece of work, never about a facility outside their scope."""

from __future__ import annotations

import pytest
from django.core import mail

from gatewaysim import whatsapp as sim
from notifications import staff_alerts
from notifications.models import OptOut, StaffAlert, StaffAlertPreference
from tests.factories import FacilityFactory, facility_staff, regional_reviewer
from tests.inbox_seed import seed_work


def _prefs(user, **kw):
    user.email = f"{user.username}@upt.example"
    user.save(update_fields=["email"])
    return StaffAlertPreference.objects.create(user=user, **kw)


@pytest.mark.django_db
def test_urgent_work_is_mailed_once_and_only_in_scope(
    facility, other_facility, django_capture_on_commit_callbacks
):
    staff = facility_staff(facility)
    _prefs(staff)
    # Urgent work elsewhere (another facility, another region): not a word.
    seed_work(other_facility, late=True, tag="LAIN")
    seed_work(FacilityFactory(region=facility.region), late=True, tag="TETANGGA")
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_alerts.staff_alerts_sweep() == 0
    assert mail.outbox == []
    # Now its own facility has late work: one mail, about it alone.
    mine = seed_work(facility, late=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_alerts.staff_alerts_sweep() == 1
    [message] = mail.outbox
    assert message.to == [staff.email]
    assert mine["to_pack"].code in message.body and "TERLAMBAT" in message.body
    assert facility.name in message.body
    assert "LAIN" not in message.body and "TETANGGA" not in message.body
    assert other_facility.name not in message.body
    # The next sweep has nothing new to tell.
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_alerts.staff_alerts_sweep() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_work_gone_out_of_scope_before_the_send_is_not_told(facility, other_facility):
    """The send task reads the inbox again: keys of another facility's work
    (a forged or stale task) are never sent."""
    staff = facility_staff(facility)
    _prefs(staff)
    theirs = seed_work(other_facility, late=True)
    keys = [f"to_pack:/admin/orders/order/{theirs['to_pack'].pk}/change/"]
    assert staff_alerts.staff_alert_send(user_id=staff.pk, keys=keys) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_kanwil_hears_of_its_regions_late_work_only(facility, other_facility):
    reviewer = regional_reviewer(facility.region)
    _prefs(reviewer, urgent=False)
    seed_work(facility, late=True)
    seed_work(other_facility, late=True, tag="LAIN")
    assert staff_alerts.staff_digest_send(user_id=reviewer.pk) > 0
    [digest] = mail.outbox
    assert facility.name in digest.body and other_facility.name not in digest.body
    assert "terlambat" in digest.subject


@pytest.mark.django_db
def test_no_choice_no_message(facility):
    staff = facility_staff(facility)
    _prefs(staff, by_email=False, by_whatsapp=False)
    seed_work(facility, late=True)
    assert staff_alerts.staff_alerts_sweep() == 0
    assert staff_alerts.staff_digest_queue_all() == 0
    assert not StaffAlert.objects.exists() and mail.outbox == []


@pytest.fixture
def wa(settings, live_server):
    settings.WHATSAPP_SIMULATOR = True
    settings.WHATSAPP_TOKEN = "tok"
    settings.WHATSAPP_PHONE_NUMBER_ID = "123"
    settings.WHATSAPP_APP_SECRET = "secret"
    settings.WHATSAPP_VERIFY_TOKEN = "verify"
    settings.WHATSAPP_API_BASE_URL = live_server.url + "/_simulator/whatsapp"
    return settings


@pytest.mark.django_db(transaction=True)
def test_whatsapp_through_the_queue_and_the_opt_out(wa, facility):
    staff = facility_staff(facility)
    _prefs(staff, by_email=False, by_whatsapp=True, whatsapp_phone="0812 7777 0001")
    seed_work(facility, late=True)
    assert staff_alerts.staff_alerts_sweep() == 1  # tasks run at once in tests
    [got] = sim.received(to="6281277770001")
    assert got["template"] == staff_alerts.URGENT_TEMPLATE and got["to"] == "6281277770001"
    # The number said stop: the digest is not sent to it.
    OptOut.objects.create(phone="6281277770001", source="test")
    staff_alerts.staff_digest_queue_all()
    assert len(sim.received(to="6281277770001")) == 1


@pytest.mark.django_db
def test_each_account_chooses_its_channels(client, facility):
    staff = facility_staff(facility)
    client.force_login(staff)
    page = client.get("/admin/tugas/pemberitahuan/").content.decode()
    assert 'name="by_whatsapp"' in page and 'name="digest"' in page
    # WhatsApp without a number is refused, with the reason at the field.
    response = client.post("/admin/tugas/pemberitahuan/", {"by_whatsapp": "on", "urgent": "on"})
    assert "Isi nomor WhatsApp" in response.content.decode()
    client.post(
        "/admin/tugas/pemberitahuan/",
        {"by_whatsapp": "on", "whatsapp_phone": "0812 7777 0002", "digest": "on"},
    )
    preference = StaffAlertPreference.objects.get(user=staff)
    assert (preference.by_whatsapp, preference.by_email, preference.urgent) == (True, False, False)
    assert preference.whatsapp_phone == "+6281277770002"
