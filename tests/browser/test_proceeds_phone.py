"""The proceeds ledger and the impact page in rupiah on a 360 px phone
(issue 35): no sideways scroll, 44 px targets in the admin, no English; the
screenshots in docs/screenshots/ are taken here (docs/proceeds.md)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from facilities.models import ProceedsShare
from facilities.scoping import scope_for
from proceeds import rules, services
from proceeds.models import ProgrammeMonth, WorkProgramme
from proceeds.months import add_months, month_start_at, this_month
from tests.browser.test_workplace_journeys import PHONE, Desk
from tests.factories import (
    FacilityFactory,
    RegionFactory,
    facility_staff,
    head_office_user,
    make_order,
    regional_reviewer,
)
from tests.oversight.factories import ProductFactory
from tests.proceeds.conftest import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAST = add_months(this_month(), -1)


@pytest.fixture
def ledger_setup(media, transactional_db):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    region = RegionFactory(name="Kanwil Bangka Belitung", slug="kanwil-babel-hasil")
    facility = FacilityFactory(
        region=region, name="Lapas Kelas IIA Pangkalpinang", slug="lapas-pkp-hasil"
    )
    for position, (name, percent) in enumerate(
        [("Premi warga binaan", "40"), ("PNBP", "15"), ("Bahan baku", "25")]
    ):
        ProceedsShare.objects.create(
            facility=facility, name=name, percent=Decimal(percent), position=position
        )
    cage = ProductFactory(facility=facility, name="Sarang Lovebird Kayu", price=65_000, stock=90)
    for ago in range(1, 6):
        month = add_months(this_month(), -ago)
        for day in range(5 + ago):
            make_order(
                facility,
                lines=[(cage, 1 + day % 2)],
                created_at=month_start_at(month) + timedelta(days=day + 1),
            )
    programme = WorkProgramme.objects.create(facility=facility, name="Pertukangan sangkar burung")
    boss, clerk = head_office_user(), facility_staff(facility)
    for ago in range(1, 6):
        ProgrammeMonth.objects.create(
            programme=programme, month=add_months(this_month(), -ago), participants=9 + ago
        )
    services.ledger_entry_record(
        actor=clerk,
        scope=scope_for(clerk),
        facility_id=facility.pk,
        month=LAST,
        kind=rules.PREMI,
        amount=150_000,
        paid_on=this_month() + timedelta(days=2),
        reference="DP-01",
        proof=pdf(),
        programme_id=programme.pk,
    )
    services.ledger_entry_record(
        actor=clerk,
        scope=scope_for(clerk),
        facility_id=facility.pk,
        month=LAST,
        kind=rules.PNBP,
        amount=58_500,
        paid_on=this_month() + timedelta(days=2),
        reference="SETOR-01",
        proof=pdf(),
        billing_code="820261100000042",
        ntpn="0A1B2C3D4E5F6G7H",
    )
    return {
        "facility": facility,
        "reviewer": regional_reviewer(region),
        "colleague": facility_staff(facility),
        "boss": boss,
    }


def _shot(desk, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    desk.page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_impact_page_in_rupiah_at_360(chromium, live_server, ledger_setup):
    desk = Desk(chromium, live_server.url, "impact-rupiah", PHONE)
    page = desk.page
    try:
        desk.visit("/dampak/", "impact")
        assert page.locator(".impact-charts svg.kb-chart").count() == 4
        for chart in page.locator(".impact-charts svg.kb-chart").all():
            box = chart.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= desk.width, box
        assert "Rp " in page.locator("#impact-rupiah").inner_text()
        page.locator("details.impact-months summary").first.click()
        desk.check("impact months open")
        _shot(desk, "impact-360.png")
    finally:
        desk.close()


def test_ledger_pages_at_360_for_the_kanwil_and_the_facility(chromium, live_server, ledger_setup):
    facility = ledger_setup["facility"]
    desk = Desk(chromium, live_server.url, "ledger", PHONE)
    page = desk.page
    try:
        desk.login(ledger_setup["reviewer"].username)
        desk.visit("/admin/hasil/", "ledger list")
        assert "belum seimbang" in page.locator("#kb-ledger-summary").inner_text()
        _shot(desk, "ledger-kanwil-360.png")
        desk.tap(page.locator("#kb-ledger a").first, "ledger month")
        assert page.locator("#kb-close").count() == 0  # the Kanwil reads, never closes
    finally:
        desk.close()
    desk = Desk(chromium, live_server.url, "ledger-staff", PHONE)
    page = desk.page
    try:
        desk.login(ledger_setup["colleague"].username)
        desk.visit(f"/admin/hasil/{facility.pk}/{LAST:%Y-%m}/", "month to close")
        assert page.locator("#kb-close").count() == 1
        page.fill("#id_explanation", "")
        desk.tap(page.locator("#kb-close button[type=submit]"), "close refused")
        assert "jelaskan selisihnya" in page.locator("#kb-close").inner_text()
        _shot(desk, "ledger-month-360.png")
        desk.visit("/admin/proceeds/ledgerentry/add/", "record a payment")
        _shot(desk, "ledger-entry-360.png")
    finally:
        desk.close()
