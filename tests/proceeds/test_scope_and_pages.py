"""Who sees and writes which ledger, through the pages and the admin; each
rule tried across (another facility's staff, another region's reviewer);
the auditors' XLSX."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from facilities.scoping import scope_for
from proceeds import rules, services
from proceeds.models import LedgerEntry
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.proceeds.conftest import LAST_MONTH, pdf
from tests.proceeds.test_ledger import BILLING, NTPN, record

MONTH = f"{LAST_MONTH:%Y-%m}"


def _month_url(facility):
    return f"/admin/hasil/{facility.pk}/{MONTH}/"


def test_staff_of_another_facility_neither_see_nor_write_nor_close(ledger_world, client):
    kendari = ledger_world["kendari"]
    entry = record(head_office_user(), kendari, rules.MATERIALS, 130_000, "F-1")
    outsider = facility_staff(ledger_world["palembang"])
    client.force_login(outsider)
    assert client.get(_month_url(kendari)).status_code == 404
    assert client.post(_month_url(kendari), {"explanation": "x"}).status_code == 404
    assert "Lapas Kendari" not in client.get("/admin/hasil/").text
    assert client.get(f"/admin/hasil/bukti/{entry.pk}/").status_code == 404
    assert client.get(f"/admin/proceeds/ledgerentry/{entry.pk}/change/").status_code in (302, 404)
    with pytest.raises(services.ProceedsError, match="tidak berwenang"):
        record(outsider, kendari, rules.MATERIALS, 1, "F-2")
    with pytest.raises(services.ProceedsError, match="tidak berwenang"):
        services.ledger_close(
            actor=outsider, scope=scope_for(outsider), facility_id=kendari.pk, month=LAST_MONTH
        )
    # The admin's form offers only their own facility: Kendari is not a choice.
    response = client.post(
        "/admin/proceeds/ledgerentry/add/",
        {
            "facility": kendari.pk,
            "month": MONTH,
            "kind": rules.MATERIALS,
            "amount": "1000",
            "paid_on": f"{LAST_MONTH:%Y-%m-%d}",
            "reference": "F-3",
            "proof": pdf(),
        },
    )
    assert response.status_code == 200 and "errornote" in response.text
    assert LedgerEntry.objects.count() == 1


def test_a_reviewer_reads_the_region_only_and_writes_nothing(ledger_world, client):
    kendari = ledger_world["kendari"]
    record(head_office_user(), kendari, rules.MATERIALS, 130_000, "F-1")
    own, other = (
        regional_reviewer(ledger_world["sultra"]),
        regional_reviewer(ledger_world["sumsel"]),
    )
    client.force_login(other)
    assert client.get(_month_url(kendari)).status_code == 404
    assert "Lapas Kendari" not in client.get("/admin/hasil/").text
    workbook = load_workbook(io.BytesIO(client.get("/admin/hasil/buku-hasil.xlsx").content))
    assert "Lapas Kendari" not in str(list(workbook.worksheets[0].iter_rows(values_only=True)))
    client.force_login(own)
    assert 'href="/admin/hasil/"' in client.get("/admin/").text  # from the dashboard
    assert client.get(_month_url(kendari)).status_code == 200
    assert client.post(_month_url(kendari), {"explanation": "x"}).status_code == 403
    with pytest.raises(services.ProceedsError, match="tidak berwenang"):
        record(own, kendari, rules.MATERIALS, 1, "F-2")


def test_staff_record_a_payment_in_the_admin_with_its_proof(ledger_world, client):
    kendari = ledger_world["kendari"]
    clerk = facility_staff(kendari)
    client.force_login(clerk)
    form = client.get("/admin/proceeds/ledgerentry/add/")
    assert form.status_code == 200
    assert "Lapas Palembang" not in form.text  # only their facility to choose
    data = {
        "facility": kendari.pk,
        "month": MONTH,
        "kind": rules.PNBP,
        "amount": "65000",
        "paid_on": f"{LAST_MONTH + timedelta(days=27):%Y-%m-%d}",
        "reference": "SETOR-01",
        "billing_code": "8202 6030 0012 345",
        "ntpn": "a1b2c3d4e5f6g7h8",
        "proof": pdf(),
    }
    response = client.post("/admin/proceeds/ledgerentry/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == _month_url(kendari)
    entry = LedgerEntry.objects.get()
    assert (entry.billing_code, entry.ntpn, entry.entered_by) == (BILLING, NTPN, clerk)
    assert entry.proof.name.startswith("private/proceeds/")
    proof = client.get(f"/admin/hasil/bukti/{entry.pk}/")
    assert proof.status_code == 200 and "no-store" in proof["Cache-Control"]
    assert proof["Content-Type"] == "application/pdf"
    # The same deposit again (a double submit): an error at the field, one row.
    again = client.post("/admin/proceeds/ledgerentry/add/", {**data, "proof": pdf()})
    assert again.status_code == 200 and "sudah dicatat" in again.text
    assert LedgerEntry.objects.count() == 1
    # A malformed code is listed at the top and at its field.
    bad = client.post(
        "/admin/proceeds/ledgerentry/add/",
        {**data, "reference": "SETOR-09", "billing_code": "123", "ntpn": "X", "proof": pdf()},
    )
    assert "15 angka" in bad.text and "16 huruf" in bad.text and "errornote" in bad.text


def test_a_closed_month_refuses_the_admin_form_too(ledger_world, client):
    kendari = ledger_world["kendari"]
    boss = head_office_user()
    record(facility_staff(kendari), kendari, rules.MATERIALS, 1, "F-1")
    services.ledger_close(
        actor=boss,
        scope=scope_for(boss),
        facility_id=kendari.pk,
        month=LAST_MONTH,
        explanation="uji",
    )
    client.force_login(facility_staff(kendari))
    response = client.post(
        "/admin/proceeds/ledgerentry/add/",
        {
            "facility": kendari.pk,
            "month": MONTH,
            "kind": rules.MATERIALS,
            "amount": "1000",
            "paid_on": f"{LAST_MONTH:%Y-%m-%d}",
            "reference": "F-2",
            "proof": pdf(),
        },
    )
    assert response.status_code == 200 and "sudah ditutup" in response.text
    detail = client.get(_month_url(kendari))
    assert 'id="kb-close"' not in detail.text and "Catat pembayaran" not in detail.text


def test_closing_from_the_page_by_a_colleague(ledger_world, client):
    kendari = ledger_world["kendari"]
    clerk = facility_staff(kendari)
    record(clerk, kendari, rules.MATERIALS, 130_000, "F-1")
    client.force_login(clerk)
    alone = client.post(_month_url(kendari), {"explanation": "Premi dan PNBP menyusul."})
    assert alone.status_code == 200 and "empat mata" in alone.text
    client.force_login(facility_staff(kendari))
    empty = client.post(_month_url(kendari), {"explanation": ""})
    assert "jelaskan selisihnya" in empty.text
    closed = client.post(_month_url(kendari), {"explanation": "Premi dan PNBP menyusul."})
    assert closed.status_code == 302
    assert "Ditutup" in client.get(_month_url(kendari)).text


def test_xlsx_for_the_auditors(ledger_world, client):
    kendari = ledger_world["kendari"]
    boss = head_office_user()
    record(boss, kendari, rules.PNBP, 65_000, "SETOR-01", billing_code=BILLING, ntpn=NTPN)
    record(boss, kendari, rules.MATERIALS, 130_000, '=HYPERLINK("http://x")', note="@SUM(A1)")
    client.force_login(boss)
    response = client.get("/admin/hasil/buku-hasil.xlsx", {"dari": MONTH, "sampai": MONTH})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Buku hasil per bulan", "Pembayaran"]
    months = list(workbook["Buku hasil per bulan"].iter_rows(values_only=True))
    header, row = months[0], months[1]
    assert header[:4] == ("Kanwil", "UPT", "Bulan", "Penjualan barang")
    values = dict(zip(header, row, strict=True))
    assert values["UPT"] == "Lapas Kendari" and values["Bulan"] == MONTH
    assert values["Penjualan barang"] == 650_000
    assert values["Setoran PNBP: terutang"] == 65_000 and values["Setoran PNBP: dibayar"] == 65_000
    assert values["Premi warga binaan: terutang"] == 260_000
    assert values["Selisih"] == 195_000 - 455_000
    assert workbook["Buku hasil per bulan"]["D2"].number_format == '"Rp" #,##0'
    entries = list(workbook["Pembayaran"].iter_rows(values_only=True))
    assert len(entries) == 3
    assert any(r[8] == NTPN and r[7] == BILLING for r in entries[1:])
    # What a person typed never becomes a formula in the auditors' file.
    cells = [c for r in workbook["Pembayaran"].iter_rows() for c in r]
    typed = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "@"))]
    assert typed and all(c.data_type == "s" for c in typed)


@pytest.mark.parametrize("facilities", [1, 6])
def test_the_ledger_page_query_count_does_not_grow(
    client, db, media, channel, facilities, django_assert_max_num_queries
):
    from tests.factories import FacilityFactory, make_order
    from tests.oversight.factories import ProductFactory
    from tests.proceeds.conftest import IN_LAST_MONTH

    for _ in range(facilities):
        facility = FacilityFactory()
        make_order(
            facility, lines=[(ProductFactory(facility=facility), 2)], created_at=IN_LAST_MONTH
        )
        record(head_office_user(), facility, rules.MATERIALS, 10, f"F-{facility.pk}")
    client.force_login(head_office_user())
    with django_assert_max_num_queries(14):
        response = client.get("/admin/hasil/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == facilities


def test_programmes_and_headcounts_in_the_admin_stay_in_scope(ledger_world, client):
    kendari, palembang = ledger_world["kendari"], ledger_world["palembang"]
    clerk = facility_staff(kendari)
    client.force_login(clerk)
    response = client.post(
        "/admin/proceeds/workprogramme/add/",
        {"facility": kendari.pk, "name": "Mebel", "is_active": "on"},
    )
    assert response.status_code == 302
    mebel = kendari.work_programmes.get(name="Mebel")
    response = client.post(
        "/admin/proceeds/programmemonth/add/",
        {"programme": mebel.pk, "month": MONTH, "participants": "8"},
    )
    assert response.status_code == 302
    assert mebel.months.get().participants == 8
    # Another facility's programme is no choice of theirs.
    roti = palembang.work_programmes.create(name="Roti")
    response = client.post(
        "/admin/proceeds/programmemonth/add/",
        {"programme": roti.pk, "month": MONTH, "participants": "8"},
    )
    assert response.status_code == 200 and not roti.months.exists()
    listing = client.get("/admin/proceeds/workprogramme/")
    assert "Mebel" in listing.text and "Roti" not in listing.text
    # The entry they recorded reads back, read-only, with its proof.
    entry = record(clerk, kendari, rules.MATERIALS, 1000, "F-9")
    page = client.get(f"/admin/proceeds/ledgerentry/{entry.pk}/change/")
    assert page.status_code == 200 and "Buka bukti" in page.text
    assert 'name="amount"' not in page.text
