"""The proceeds ledger: what each channel's sales owe by the shares, what was
paid, balance, close (four eyes), a closed month read-only, and PNBP codes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from facilities.scoping import scope_for
from proceeds import rules, services
from proceeds.models import LedgerEntry, LedgerMonth, ProgrammeMonth
from proceeds.selectors import ledger_rows
from tests.factories import facility_staff, head_office_user, make_order
from tests.proceeds.conftest import IN_LAST_MONTH, LAST_MONTH, pdf

BILLING = "820260300012345"
NTPN = "A1B2C3D4E5F6G7H8"


def record(user, facility, kind, amount, reference, **extra):
    return services.ledger_entry_record(
        actor=user,
        scope=scope_for(user),
        facility_id=facility.pk,
        month=LAST_MONTH,
        kind=kind,
        amount=amount,
        paid_on=LAST_MONTH + timedelta(days=27),
        reference=reference,
        proof=pdf(),
        **extra,
    )


def pay_everything(user, world, premi=260_000, pnbp=65_000, materials=130_000):
    kendari = world["kendari"]
    record(user, kendari, rules.PREMI, premi, "DP-01", programme_id=world["programme"].pk)
    record(user, kendari, rules.PNBP, pnbp, "SETOR-01", billing_code=BILLING, ntpn=NTPN)
    record(user, kendari, rules.MATERIALS, materials, "FAKTUR-01")


def _row(user, facility):
    rows = ledger_rows(scope_for(user), first=LAST_MONTH, last=LAST_MONTH)
    return next(row for row in rows if row.facility_id == facility.pk)


def test_due_counts_every_channel_by_the_shares_and_leaves_enterprises_out(ledger_world):
    boss = head_office_user()
    rows = ledger_rows(scope_for(boss), first=LAST_MONTH, last=LAST_MONTH)
    assert {row.facility for row in rows} == {"Lapas Kendari"}  # the enterprise is not there
    row = rows[0]
    sales = row.sales
    assert (sales.web, sales.institutional, sales.consignment, sales.channels) == (
        300_000,
        200_000,
        90_000,
        {"uji": 60_000},
    )
    assert sales.total == ledger_world["sales"]  # the cancelled order never counts
    assert row.due == {
        rules.PREMI: 260_000,
        rules.PNBP: 65_000,
        rules.MATERIALS: 130_000,
        rules.OTHER: 0,
    }
    assert not row.balanced and row.difference == -455_000


def test_a_share_rounds_half_up_and_an_unknown_share_is_other(ledger_world):
    from decimal import Decimal

    from facilities.models import ProceedsShare

    ProceedsShare.objects.create(
        facility=ledger_world["kendari"], name="Koperasi pegawai", percent=Decimal("0.01")
    )
    row = _row(head_office_user(), ledger_world["kendari"])
    assert row.due[rules.OTHER] == 65  # 650.000 x 0,01 % = 65


def test_the_sales_report_counts_the_registered_channel_too(ledger_world, client):
    from oversight.selectors import sales_by_facility_month

    boss = head_office_user()
    scope = scope_for(boss)
    rows = sales_by_facility_month(
        scope, facilities=scope.facilities(), first=LAST_MONTH, last=LAST_MONTH
    )
    kendari = next(r for r in rows if r.facility == "Lapas Kendari")
    assert (kendari.channel_items, kendari.channel_revenue) == (2, 60_000)
    assert kendari.goods_revenue == ledger_world["sales"]


def test_enterprise_cannot_be_booked(ledger_world):
    boss = head_office_user()
    with pytest.raises(services.ProceedsError, match="Usaha binaan Bapas"):
        record(boss, ledger_world["usaha"], rules.MATERIALS, 1000, "X-1")


def test_balanced_month_closes_by_a_second_person_and_is_then_read_only(ledger_world):
    kendari = ledger_world["kendari"]
    clerk, colleague = facility_staff(kendari), facility_staff(kendari)
    pay_everything(clerk, ledger_world)
    assert _row(clerk, kendari).balanced
    # Four eyes: the clerk who entered every payment does not close alone.
    with pytest.raises(services.ProceedsError, match="empat mata"):
        services.ledger_close(
            actor=clerk, scope=scope_for(clerk), facility_id=kendari.pk, month=LAST_MONTH
        )
    ledger = services.ledger_close(
        actor=colleague, scope=scope_for(colleague), facility_id=kendari.pk, month=LAST_MONTH
    )
    assert ledger.is_closed and ledger.closed_by == colleague and ledger.explanation == ""
    assert (ledger.due_total, ledger.paid_total) == (455_000, 455_000)
    # Read-only: no payment, no headcount, no second close.
    with pytest.raises(services.ProceedsError, match="sudah ditutup"):
        record(clerk, kendari, rules.MATERIALS, 5_000, "FAKTUR-02")
    with pytest.raises(services.ProceedsError, match="sudah ditutup"):
        services.programme_month_record(
            actor=clerk,
            scope=scope_for(clerk),
            programme_id=ledger_world["programme"].pk,
            month=LAST_MONTH,
            participants=12,
        )
    with pytest.raises(services.ProceedsError, match="sudah ditutup"):
        services.ledger_close(
            actor=colleague, scope=scope_for(colleague), facility_id=kendari.pk, month=LAST_MONTH
        )
    # A sale recorded late does not change a closed month: it keeps its figures.
    make_order(kendari, lines=[(ledger_world["product"], 1)], created_at=IN_LAST_MONTH)
    row = _row(colleague, kendari)
    assert row.is_closed and row.sales.total == ledger_world["sales"] and row.balanced


def test_a_difference_needs_an_explanation_and_the_kanwil_sees_it(ledger_world, client):
    from tests.factories import regional_reviewer

    kendari = ledger_world["kendari"]
    clerk = facility_staff(kendari)
    pay_everything(clerk, ledger_world, premi=250_000)  # Rp 10.000 of premi short
    boss = head_office_user()
    with pytest.raises(services.ProceedsError, match="jelaskan selisihnya"):
        services.ledger_close(
            actor=boss, scope=scope_for(boss), facility_id=kendari.pk, month=LAST_MONTH
        )
    services.ledger_close(
        actor=boss,
        scope=scope_for(boss),
        facility_id=kendari.pk,
        month=LAST_MONTH,
        explanation="Dua peserta keluar di tengah bulan; sisa premi disetor bulan depan.",
    )
    client.force_login(regional_reviewer(ledger_world["sultra"]))
    listing = client.get("/admin/hasil/", {"selisih": "1"})
    assert listing.status_code == 200
    assert "Lapas Kendari" in listing.text and "1 bulan belum seimbang" in listing.text
    detail = client.get(f"/admin/hasil/{kendari.pk}/{LAST_MONTH:%Y-%m}/")
    assert "Dua peserta keluar" in detail.text
    assert "Rp -10.000" in detail.text or "-Rp 10.000" in detail.text or "Rp 10.000" in detail.text
    assert 'id="kb-close"' not in detail.text  # the Kanwil watches, never closes


def test_the_current_month_cannot_close(ledger_world):
    boss = head_office_user()
    from proceeds.months import this_month

    with pytest.raises(services.ProceedsError, match="belum dapat ditutup"):
        services.ledger_close(
            actor=boss,
            scope=scope_for(boss),
            facility_id=ledger_world["kendari"].pk,
            month=this_month(),
        )


@pytest.mark.parametrize(
    ("billing", "ntpn", "message"),
    [
        ("12345", NTPN, "15 angka"),
        ("020260300012345", NTPN, "diawali 7, 8 atau 9"),
        (BILLING, "ABC", "16 huruf"),
    ],
)
def test_pnbp_deposit_codes_are_checked(ledger_world, billing, ntpn, message):
    boss = head_office_user()
    with pytest.raises(services.ProceedsError, match=message):
        record(
            boss,
            ledger_world["kendari"],
            rules.PNBP,
            65_000,
            "S-1",
            billing_code=billing,
            ntpn=ntpn,
        )


def test_premi_is_a_programme_total_and_a_replay_makes_one_entry(ledger_world):
    boss = head_office_user()
    kendari = ledger_world["kendari"]
    with pytest.raises(services.ProceedsError, match="per program kerja"):
        record(boss, kendari, rules.PREMI, 1000, "DP-9")
    record(boss, kendari, rules.PNBP, 65_000, "SETOR-01", billing_code=BILLING, ntpn=NTPN)
    for reference in ("SETOR-01", "SETOR-02"):  # the same receipt, the same NTPN
        with pytest.raises(services.ProceedsError, match="sudah"):
            record(boss, kendari, rules.PNBP, 65_000, reference, billing_code=BILLING, ntpn=NTPN)
    assert LedgerEntry.objects.count() == 1


def test_a_proof_must_be_a_pdf_or_image(ledger_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    boss = head_office_user()
    with pytest.raises(services.ProceedsError, match="PDF, JPG atau PNG"):
        services.ledger_entry_record(
            actor=boss,
            scope=scope_for(boss),
            facility_id=ledger_world["kendari"].pk,
            month=LAST_MONTH,
            kind=rules.MATERIALS,
            amount=1000,
            paid_on=LAST_MONTH,
            reference="F-1",
            proof=SimpleUploadedFile("a.html", b"<script>alert(1)</script>"),
        )


def test_headcount_is_a_number_per_programme_and_month(ledger_world):
    clerk = facility_staff(ledger_world["kendari"])
    for participants in (11, 12):  # a correction, not a second row
        services.programme_month_record(
            actor=clerk,
            scope=scope_for(clerk),
            programme_id=ledger_world["programme"].pk,
            month=LAST_MONTH,
            participants=participants,
        )
    assert list(ProgrammeMonth.objects.values_list("participants", flat=True)) == [12]
    assert LedgerMonth.objects.filter(facility=ledger_world["kendari"]).count() == 1
