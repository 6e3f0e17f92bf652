"""The public impact page in rupiah: per region and month from every channel,
premi and PNBP from the ledger, people from headcounts; small cells hidden;
few queries, whatever the rows."""

from __future__ import annotations

import pytest

from facilities.scoping import scope_for
from proceeds import rules, services
from proceeds.models import ProgrammeMonth, WorkProgramme
from tests.factories import FacilityFactory, RegionFactory, head_office_user, make_order
from tests.oversight.factories import ProductFactory
from tests.oversight.test_recap_and_impact import IMPACT_QUERIES
from tests.proceeds.conftest import IN_LAST_MONTH, LAST_MONTH
from tests.proceeds.test_ledger import BILLING, NTPN, record


def _cell(response, region_name, month=LAST_MONTH):
    region = next(r for r in response.context["regions"] if r.name == region_name)
    return next(c for c in region.months if c.month == month)


def _busy(ledger_world, orders=4, people=12):
    """Enough sales and people at Kendari last month to be shown."""
    kendari = ledger_world["kendari"]
    for _ in range(orders):
        make_order(kendari, lines=[(ledger_world["product"], 1)], created_at=IN_LAST_MONTH)
    ProgrammeMonth.objects.create(
        programme=ledger_world["programme"], month=LAST_MONTH, participants=people
    )
    boss = head_office_user()
    record(boss, kendari, rules.PREMI, 300_000, "DP-1", programme_id=ledger_world["programme"].pk)
    record(boss, kendari, rules.PNBP, 75_000, "S-1", billing_code=BILLING, ntpn=NTPN)


def test_impact_shows_rupiah_per_region_and_month_with_a_trend(ledger_world, client):
    _busy(ledger_world)
    response = client.get("/dampak/")
    assert response.status_code == 200
    cell = _cell(response, "Kanwil Sulawesi Tenggara")
    # 650.000 of the world + four more orders of Rp 100.000; the enterprise apart.
    assert (cell.sales, cell.premi, cell.pnbp, cell.people, cell.programmes) == (
        1_050_000,
        300_000,
        75_000,
        12,
        1,
    )
    assert cell.products == 1
    trend = response.context["impact"].trend
    assert len(trend) == 12 and trend[-2].month == LAST_MONTH and trend[-2].sales == 1_050_000
    assert "Rp 1.050.000" in response.text and "Rp 300.000" in response.text
    assert response.text.count('class="kb-chart"') == 4
    # The enterprise's own sales (2 x Rp 250.000 + Rp 40.000) are not the facilities'.
    assert response.context["period_sales"] == 1_050_000
    assert 'id="impact-note"' in response.text and "usaha binaan Bapas" in response.text
    # Its two sales are too few to show apart as well.
    assert response.context["enterprise_total"] == 0


def test_cells_from_too_few_people_or_sales_are_hidden(ledger_world, client):
    """Kendari last month: 2 web orders, 1 consignment report, 2 stand items
    (5 sales, shown); Palembang: one order (hidden); a programme of 3 people
    (hidden, and its premi with it)."""
    palembang = ledger_world["palembang"]
    make_order(
        palembang,
        lines=[(ProductFactory(facility=palembang, price=70_000), 1)],
        created_at=IN_LAST_MONTH,
    )
    programme = WorkProgramme.objects.create(facility=palembang, name="Roti")
    ProgrammeMonth.objects.create(programme=programme, month=LAST_MONTH, participants=3)
    boss = head_office_user()
    services.ledger_entry_record(
        actor=boss,
        scope=scope_for(boss),
        facility_id=palembang.pk,
        month=LAST_MONTH,
        kind=rules.PREMI,
        amount=90_000,
        paid_on=LAST_MONTH,
        reference="DP-P",
        proof=__import__("tests.proceeds.conftest", fromlist=["pdf"]).pdf(),
        programme_id=programme.pk,
    )
    response = client.get("/dampak/")
    small = _cell(response, "Kanwil Sumatera Selatan")
    # Nothing deposited shows as nothing (a zero names no one); the rest is hidden.
    assert (small.sales, small.pnbp, small.premi, small.people) == (None, 0, None, None)
    assert small.programmes == 1  # a count of programmes names no one
    assert "Rp 70.000" not in response.text and "Rp 90.000" not in response.text
    assert "disembunyikan" in response.text
    shown = _cell(response, "Kanwil Sulawesi Tenggara")
    assert shown.sales == 650_000
    # The nation adds only what may be shown: Palembang's lone sale is not
    # in it, so it cannot be found by subtraction.
    assert response.context["impact"].trend[-2].sales == 650_000
    assert response.context["impact"].trend[-2].people == 0


def test_an_empty_month_shows_zero_not_hidden(ledger_world, client):
    response = client.get("/dampak/")
    empty = _cell(response, "Kanwil Sumatera Selatan")
    assert (empty.sales, empty.pnbp, empty.premi, empty.people) == (0, 0, 0, 0)


def test_the_threshold_is_one_constant(ledger_world, client, monkeypatch):
    from oversight.selectors import impact

    monkeypatch.setattr(impact, "SMALL_CELL", 1)
    palembang = ledger_world["palembang"]
    make_order(
        palembang,
        lines=[(ProductFactory(facility=palembang, price=70_000), 1)],
        created_at=IN_LAST_MONTH,
    )
    assert _cell(client.get("/dampak/"), "Kanwil Sumatera Selatan").sales == 70_000


@pytest.mark.parametrize("regions", [2, 8])
def test_impact_query_count_stays_small_with_a_channel(
    client, db, media, channel, regions, django_assert_max_num_queries
):
    for _ in range(regions):
        facility = FacilityFactory(region=RegionFactory())
        make_order(
            facility, lines=[(ProductFactory(facility=facility), 2)], created_at=IN_LAST_MONTH
        )
        WorkProgramme.objects.create(facility=facility, name="Mebel")
        channel[facility.pk] = [(LAST_MONTH, 1, 5_000)]
    # The channel reads without a query here; a real one adds its own.
    with django_assert_max_num_queries(IMPACT_QUERIES):
        response = client.get("/dampak/")
    assert response.status_code == 200
    with django_assert_max_num_queries(0):
        client.get("/dampak/")  # then from the cache (and the page cache)
