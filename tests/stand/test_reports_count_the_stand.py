"""A sale at the stand reaches every report through core.sales_channels: the
sales report's other-channel column, the proceeds ledger's sales and the
impact page's rupiah. The reports never import stand; this proves the real
reader is registered and read (tests/proceeds registers a stand-in)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from facilities.scoping import Scope
from oversight.periods import add_months
from oversight.selectors.reports import sales_by_facility_month as report_rows
from proceeds.sales import sales_by_facility_month as ledger_sales
from stand import services
from tests.stand.conftest import sale_input

pytestmark = pytest.mark.django_db


def test_a_stand_sale_is_in_the_sales_report_and_the_ledger(till, staff, songket, mukena):
    services.sale_record(till=till, sale=sale_input((songket, 1), (mukena, 2)), by=staff)
    month = timezone.localdate().replace(day=1)
    facility = till.facility

    sold = ledger_sales(month, month, [facility.pk])[(facility.pk, month)]
    assert sold.channels == {"stand": 600_000}
    assert sold.total == 600_000

    scope = Scope.of_facility(facility.pk)
    [row] = [
        r
        for r in report_rows(
            scope,
            facilities=type(facility).objects.filter(pk=facility.pk),
            first=month,
            last=month,
        )
        if r.facility_id == facility.pk
    ]
    assert (row.channel_items, row.channel_revenue) == (3, 600_000)
    assert row.goods_revenue == 600_000

    # A month with no stand sale has none.
    earlier = add_months(month, -1)
    assert (facility.pk, earlier) not in ledger_sales(earlier, earlier, [facility.pk])


def test_a_stand_sale_is_in_the_impact_pages_rupiah(till, staff, songket, mukena):
    from oversight.selectors.impact import public_impact

    services.sale_record(till=till, sale=sale_input((songket, 1), (mukena, 2)), by=staff)
    month = timezone.localdate().replace(day=1)
    impact = public_impact()
    [region] = [r for r in impact.regions if r.name == till.facility.region.name]
    [cell] = [c for c in region.months if c.month == month]
    # One sale is a small cell: shown hidden, but counted underneath.
    assert cell.raw["sales"] == 600_000
