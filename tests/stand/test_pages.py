"""The till's pages: who reaches which, forms that say what is wrong, the
volunteer made on its page, the receipt by WhatsApp once per number."""

from __future__ import annotations

import pytest
from django.utils import timezone

from notifications import whatsapp
from notifications.models import OptOut
from stand import services
from stand.models import DayClose, Receipt, Volunteer
from tests.factories import FacilityFactory, facility_staff, head_office_user, regional_reviewer
from tests.stand.conftest import sale_input

pytestmark = pytest.mark.django_db


def test_staff_open_the_till_setting_stock_aside(client, staff, event, songket, mukena):
    client.force_login(staff)
    home = client.get("/stan/")
    assert f"/stan/pameran/{event.pk}/buka/" in home.content.decode()
    refused = client.post(f"/stan/pameran/{event.pk}/buka/", {f"q-{songket.pk}": "9"})
    assert refused.status_code == 400 and "Stok Kain Songket tinggal 5" in refused.content.decode()
    opened = client.post(
        f"/stan/pameran/{event.pk}/buka/", {f"q-{songket.pk}": "2", f"q-{mukena.pk}": "0"}
    )
    assert opened.status_code == 302
    songket.refresh_from_db()
    assert songket.stock == 3


def test_other_facility_and_anonymous_reach_nothing(client, till, event):
    assert client.get(f"/stan/kasir/{till.pk}/").status_code == 302  # to the stand's login
    client.force_login(facility_staff(FacilityFactory()))
    for path in (
        f"/stan/kasir/{till.pk}/",
        f"/stan/kasir/{till.pk}/data.json",
        f"/stan/kasir/{till.pk}/tutup/",
        f"/stan/kasir/{till.pk}/relawan/",
        f"/stan/pameran/{event.pk}/buka/",
        f"/stan/laporan/{event.pk}/",
    ):
        assert client.get(path).status_code == 404, path


def test_report_for_the_kanwil_and_head_office_not_another_kanwil(
    client, till, staff, songket, event, region
):
    services.sale_record(till=till, sale=sale_input((songket, 1)), by=staff)
    client.force_login(regional_reviewer(region))
    page = client.get(f"/stan/laporan/{event.pk}/")
    assert page.status_code == 200 and "Rp 250.000" in page.content.decode()
    client.force_login(head_office_user())
    assert client.get(f"/stan/laporan/{event.pk}/").status_code == 200
    client.force_login(regional_reviewer(FacilityFactory().region))
    assert client.get(f"/stan/laporan/{event.pk}/").status_code == 404
    # A reviewer reads; it does not sell.
    client.force_login(regional_reviewer(region))
    assert client.get(f"/stan/kasir/{till.pk}/").status_code == 404


def test_volunteer_made_on_its_page_and_password_shown_once(client, till, staff):
    client.force_login(staff)
    page = client.post(f"/stan/kasir/{till.pk}/relawan/", {"name": "Rina"})
    assert page.status_code == 200
    volunteer = Volunteer.objects.get()
    assert volunteer.user.username in page.content.decode()
    assert volunteer.expires_at.date() == till.exhibition.ends_on
    again = client.get(f"/stan/kasir/{till.pk}/relawan/")
    assert "made-password" not in again.content.decode()
    empty = client.post(f"/stan/kasir/{till.pk}/relawan/", {"name": ""})
    assert empty.status_code == 400 and "error-summary" in empty.content.decode()


def test_day_close_page_lists_the_error_then_saves(client, till, staff, songket):
    services.sale_record(till=till, sale=sale_input((songket, 1)), by=staff)
    client.force_login(staff)
    today = timezone.localdate().isoformat()
    page = client.post(f"/stan/kasir/{till.pk}/tutup/", {"day": today, "cash_counted": "200000"})
    assert page.status_code == 400 and "tulis alasannya" in page.content.decode()
    saved = client.post(
        f"/stan/kasir/{till.pk}/tutup/",
        {"day": today, "cash_counted": "200000", "reason": "Uang palsu Rp 50.000"},
    )
    assert saved.status_code == 302 and DayClose.objects.get().cash_difference == -50_000


def test_receipt_by_whatsapp_once_per_number_and_never_to_an_opt_out(
    client, till, staff, songket, settings, monkeypatch
):
    settings.WHATSAPP_TOKEN = "token"
    settings.WHATSAPP_API_BASE_URL = "http://127.0.0.1:9"
    sent = []
    monkeypatch.setattr(
        whatsapp, "send_template", lambda **kw: sent.append(kw) or whatsapp.Sent("wamid.1")
    )
    sale, _ = services.sale_record(till=till, sale=sale_input((songket, 1)), by=staff)
    client.force_login(staff)
    url = f"/stan/kasir/{till.pk}/struk/{sale.client_uuid}/"
    assert "Kain Songket" in client.get(url).content.decode()
    assert client.post(url, {"phone": "0812 3456 7890"}).status_code == 302
    assert client.post(url, {"phone": "+62 812-3456-7890"}).status_code == 302
    assert len(sent) == 1 and sent[0]["to"] == "6281234567890"
    assert sent[0]["template"] == services.RECEIPT_TEMPLATE
    assert Receipt.objects.get().status == "sent"
    OptOut.objects.create(phone="6281111111111", source="test")
    refused = client.post(url, {"phone": "0811 1111 1111"})
    assert refused.status_code == 400 and "menolak" in refused.content.decode()
    assert len(sent) == 1


def test_receipt_without_whatsapp_offers_the_printed_slip(client, till, staff, songket, settings):
    settings.WHATSAPP_TOKEN = ""
    sale, _ = services.sale_record(till=till, sale=sale_input((songket, 1)), by=staff)
    client.force_login(staff)
    page = client.get(f"/stan/kasir/{till.pk}/struk/{sale.client_uuid}/").content.decode()
    assert "Cetak struk" in page and "Kirim lewat WhatsApp" not in page


def test_pwa_manifest_and_worker(client):
    manifest = client.get("/stan/manifest.webmanifest")
    assert manifest.json()["scope"] == "/stan/" and manifest.json()["display"] == "standalone"
    worker = client.get("/stan/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert "caches.open" in worker.content.decode()
