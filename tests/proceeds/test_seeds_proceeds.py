"""The demo's ledger: a month closed balanced, one with a difference the
Kanwil sees, and loading again changes nothing."""

from django.core.management import call_command

from facilities.models import Facility
from facilities.scoping import scope_for
from proceeds.models import LedgerEntry
from proceeds.months import add_months, this_month
from proceeds.selectors import ledger_rows
from seeds.proceeds import FACILITY, load_demo_proceeds
from tests.factories import regional_reviewer


def test_demo_ledger_has_a_balanced_closed_month_and_a_difference_for_the_kanwil(db):
    call_command("load_seeds")
    facility = Facility.objects.get(slug=FACILITY)
    kanwil = regional_reviewer(facility.region)
    rows = {
        row.month: row
        for row in ledger_rows(
            scope_for(kanwil), first=add_months(this_month(), -3), last=add_months(this_month(), -1)
        )
        if row.facility_id == facility.pk
    }
    closed, different = rows[add_months(this_month(), -3)], rows[add_months(this_month(), -2)]
    assert closed.is_closed and closed.balanced and closed.due_total > 0
    assert not different.is_closed and different.differences["premi"] == -10_000
    count = LedgerEntry.objects.count()
    load_demo_proceeds({FACILITY: facility})
    assert LedgerEntry.objects.count() == count
