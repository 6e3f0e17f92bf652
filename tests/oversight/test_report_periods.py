"""Report periods are bounded: any month typed into a report's address is a message, never a 500.

Found on the served site: `start=99999999999999999999-01` on the sales report
answered 500 (date() raised OverflowError, which the month field did not catch).
"""

import pytest
from django.utils import timezone

from oversight.forms import MonthField
from tests.factories import head_office_user

PAGES = ["/admin/laporan/penjualan/"]
FILES = [
    "/admin/laporan/penjualan.csv",
    "/admin/laporan/penjualan.xlsx",
    "/admin/laporan/pembagian-hasil.csv",
]
NEXT_YEAR = timezone.localdate().year + 1
BAD_MONTHS = [
    "99999999999999999999-01",
    "2026-99999999999999999999",
    "-1-01",
    "0000-01",
    "2019-12",
    f"{NEXT_YEAR + 1}-01",
    "9999-12",
    "2026-1e3",
    "２０２６-01",  # full-width digits: int() reads them, a month field should not
]


@pytest.mark.parametrize("month", BAD_MONTHS)
def test_a_month_outside_the_bounds_is_refused_with_a_message(month):
    form_field = MonthField(required=False)
    with pytest.raises(Exception) as refused:
        form_field.clean(month)
    assert refused.type.__name__ == "ValidationError"
    assert "TTTT-BB" in str(refused.value) or "Pilih bulan antara 2020-01" in str(refused.value)


def test_the_bounds_themselves_are_accepted():
    field = MonthField(required=False)
    assert field.clean("2020-01").isoformat() == "2020-01-01"
    assert field.clean(f"{NEXT_YEAR}-12").isoformat() == f"{NEXT_YEAR}-12-01"


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["start", "end"])
@pytest.mark.parametrize("url", PAGES + FILES)
def test_every_report_answers_a_huge_year_with_a_message(client, url, param):
    client.force_login(head_office_user())
    response = client.get(url, {param: "99999999999999999999-01"})
    body = response.content.decode("utf-8", "replace")
    if url in PAGES:
        assert response.status_code == 200
        assert "TTTT-BB" in body
    else:
        assert response.status_code == 400
        assert "Filter laporan tidak valid" in body
