"""The gateway's settlement report: read (whatever the file holds), each line
matched to exactly one payment or refund, idempotent re-import, the rest held
for head office with a 'mark handled' action."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from orders import services
from orders.payments import services as gateway_services
from orders.payments.models import GatewayRefund, GatewayReportLine
from orders.payments.report_csv import read_report
from orders.payments.statement_csv import StatementError
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.factories import ProductFactory, shop
from tests.orders.gateway_helpers import online_checkout
from tests.oversight.books_helpers import (
    REPORT_HEADER,
    import_report,
    paid_checkout,
    report,
    report_row,
)

Out = GatewayReportLine.Outcome
NOW = "2026-11-28 10:05:12"


@pytest.fixture(autouse=True)
def _gateway_key(settings):
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-UJI-KEY"
    settings.MIDTRANS_BASE_URL = "http://127.0.0.1:9/v-unused"


@pytest.fixture
def bag(db):
    return ProductFactory(facility=shop(), price=175_000, stock=30)


# --- reading ----------------------------------------------------------------


def test_columns_are_found_by_name_in_any_order_after_a_preamble():
    data = (
        "Laporan Settlement Midtrans\nPeriode;28/11/2026\n\n"
        "Settlement Time;Gross Amount;Order ID;Transaction Status;Fee;Net Amount\n"
        f"{NOW};175.000;KB-ABC-1;settlement;1.225;173.775\n"
        "Total;175.000;;;;\n"
    ).encode()

    (line,) = read_report(data)

    assert line.gateway_order_id == "KB-ABC-1"
    assert line.gross_amount == Decimal(175_000)
    assert (line.fee, line.net_amount) == (Decimal(1_225), Decimal(173_775))
    assert line.transaction_status == "settlement"
    assert line.settled_on.isoformat() == "2026-11-28"
    assert timezone.localtime(line.settled_at).hour == 10  # WIB as written


def test_the_api_names_are_read_too():
    data = (
        b"order_id,transaction_status,gross_amount,settlement_time\n"
        b"KB-X-1,settlement,5000,2026-11-28\n"
    )
    (line,) = read_report(data)
    assert (line.gateway_order_id, line.gross_amount) == ("KB-X-1", Decimal(5000))


def test_a_file_without_the_columns_says_which_are_needed():
    with pytest.raises(StatementError, match="Order ID, Transaction Status"):
        read_report(b"Tanggal,Keterangan,Jumlah\n01/01/2026,x,1\n")


def test_a_row_whose_time_or_amount_cannot_be_read_is_kept_for_a_person():
    lines = read_report(
        report(
            "KB-A-1,t,qris,settlement,abc,0,0," + NOW,
            "KB-B-1,t,qris,settlement,5000,0,0,31/02/2026",
        )
    )
    assert [line.problem for line in lines] == [Out.BAD_ROW, Out.BAD_ROW]


# --- hostile files, like the bank statements' drill ---------------------------


def test_nul_bytes_and_lone_cr_line_endings_are_read():
    data = report(
        "KB-A\x00-1,t,qris,settlement,5000,0,0," + NOW,
        "KB-B-1,t,qris,settlement,6000,0,0," + NOW,
        line_end="\r",
    )
    lines = read_report(data)
    assert [line.gateway_order_id for line in lines] == ["KB-A-1", "KB-B-1"]


def test_a_field_beyond_the_csv_modules_limit_is_a_statement_error():
    data = report("KB-A-1,t,qris,settlement,5000,0,0," + NOW + ',"' + "x" * 140_000 + '"')
    with pytest.raises(StatementError):
        read_report(data)


def test_an_amount_no_payment_can_have_refuses_the_file():
    with pytest.raises(StatementError, match="terlalu besar"):
        read_report(report("KB-A-1,t,qris,settlement,99999999999999999999,0,0," + NOW))


def test_long_fields_are_cut_to_what_the_table_holds(bag):
    data = report(f"{'K' * 500},{'t' * 500},{'q' * 500},{'s' * 500},5000,0,0,{NOW}")
    (line,) = read_report(data)
    assert len(line.gateway_order_id) == 64 and len(line.transaction_status) == 30
    import_report(head_office_user(), data)  # and it can be stored
    assert GatewayReportLine.objects.get().outcome == Out.OTHER_STATUS


def test_formula_cells_are_kept_as_text_and_match_nothing(bag):
    data = report(f'=HYPERLINK("http://x"),=1+1,@SUM(A1),settlement,5000,0,0,{NOW}')
    imported = import_report(head_office_user(), data)
    line = GatewayReportLine.objects.get()
    assert line.gateway_order_id.startswith("=HYPERLINK")
    assert (imported.matched, line.outcome) == (0, Out.UNKNOWN_ORDER)


CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            NOW,
            "31/02/2026 10:00",
            "175000",
            "1.250.000,00",
            "-5",
            "1e309",
            "NaN",
            "9" * 400,
            "settlement",
            "refund",
            '"',
            '=HYPERLINK("http://x")',
            "\x00",
            "\r",
            "x" * 2000,
        ]
    ),
    st.text(max_size=60),
)


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.binary(max_size=3000))
def test_any_bytes_read_as_lines_or_a_statement_error(data):
    try:
        lines = read_report(data)
    except StatementError:
        return
    assert isinstance(lines, list)


@settings(max_examples=150, deadline=None, database=None)
@given(rows=st.lists(st.lists(CELLS, min_size=0, max_size=9), max_size=12))
def test_hostile_rows_under_a_real_header_read_as_storable_lines(rows):
    body = "\n".join(",".join(f'"{c}"' if i % 2 else c for i, c in enumerate(r)) for r in rows)
    try:
        lines = read_report((REPORT_HEADER + "\n" + body).encode("utf-8", "surrogatepass"))
    except StatementError:
        return
    for line in lines:
        assert "\x00" not in line.gateway_order_id + line.transaction_status
        assert len(line.gateway_order_id) <= 64 and len(line.time_text) <= 40
        assert abs(line.gross_amount) < 10**13
        assert line.problem or (line.settled_at and line.gross_amount >= 0)


# --- matching -----------------------------------------------------------------


def test_each_settlement_line_matches_exactly_one_payment_and_reimport_adds_nothing(bag):
    payments = [paid_checkout([(bag, 1)])[1] for _ in range(3)]
    data = report(*(report_row(p.gateway_order_id, 175_000, time=NOW) for p in payments))
    boss = head_office_user()

    first = import_report(boss, data)
    again = import_report(boss, data)

    assert (first.lines_read, first.new_lines, first.matched) == (3, 3, 3)
    assert (again.lines_read, again.new_lines, again.matched) == (3, 0, 0)
    assert {line.payment_id for line in GatewayReportLine.objects.all()} == {p.pk for p in payments}


def test_each_mismatch_is_held_with_its_reason(bag):
    _r, paid = paid_checkout([(bag, 1)])
    _s, pending = online_checkout([(bag, 1)])
    _t, other = paid_checkout([(bag, 1)])
    rows = [
        report_row("KB-TIDAKADA-1", 5_000, time=NOW),  # unknown order id
        report_row(other.gateway_order_id, 170_000, time=NOW),  # amount differs
        report_row(pending.gateway_order_id, 175_000, time=NOW),  # settled there, not here
        report_row(paid.gateway_order_id, 175_000, time=NOW),
        report_row(paid.gateway_order_id, 175_000, time=NOW, tx="tx-again"),  # two for one
        report_row(paid.gateway_order_id, 175_000, time=NOW, status="pending"),  # no money
        report_row(other.gateway_order_id, 175_000, time=NOW, status="expire"),  # paid here only
    ]
    imported = import_report(head_office_user(), report(*rows))

    outcomes = list(GatewayReportLine.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == [
        Out.UNKNOWN_ORDER,
        Out.AMOUNT_MISMATCH,
        Out.NOT_PAID_HERE,
        Out.MATCHED,
        Out.DUPLICATE,
        Out.OTHER_STATUS,
        Out.PAID_HERE_ONLY,
    ]
    assert imported.matched == 1
    assert sum(line.needs_person for line in GatewayReportLine.objects.all()) == 5


def test_the_same_row_twice_in_one_file_is_a_duplicate_not_dropped(bag):
    _r, paid = paid_checkout([(bag, 1)])
    row = report_row(paid.gateway_order_id, 175_000, time=NOW)
    import_report(head_office_user(), report(row, row))
    assert sorted(GatewayReportLine.objects.values_list("outcome", flat=True)) == [
        Out.DUPLICATE,
        Out.MATCHED,
    ]


def test_the_database_holds_one_matched_line_per_payment(bag):
    """Control for the matcher: the partial unique constraint itself refuses a
    second matched line, whoever writes it (a concurrent import included)."""
    _r, paid = paid_checkout([(bag, 1)])
    import_report(head_office_user(), report(report_row(paid.gateway_order_id, 175_000, time=NOW)))
    line = GatewayReportLine.objects.get()
    with pytest.raises(IntegrityError):
        GatewayReportLine.objects.create(
            report=line.report,
            line_hash="other",
            gateway_order_id=line.gateway_order_id,
            transaction_status="settlement",
            gross_amount=175_000,
            payment=paid,
            outcome=Out.MATCHED,
        )


def test_refund_lines_match_refunds_sent_through_the_gateway(bag):
    result, paid = paid_checkout([(bag, 2)])
    refund = gateway_services.gateway_refund_partial(
        order=result.orders[0], amount=50_000, refund_key="keluhan-1", reason="Cacat."
    )
    GatewayRefund.objects.filter(pk=refund.pk).update(status=GatewayRefund.Status.DONE)
    import_report(
        head_office_user(),
        report(
            report_row(paid.gateway_order_id, 50_000, time=NOW, status="partial_refund"),
            # Made in the gateway's dashboard: not in our ledger.
            report_row(paid.gateway_order_id, 30_000, time=NOW, status="partial_refund"),
        ),
    )
    lines = list(GatewayReportLine.objects.order_by("pk"))
    assert [line.outcome for line in lines] == [Out.REFUND_MATCHED, Out.REFUND_UNRECORDED]
    assert lines[0].refund_id == refund.pk


def test_only_head_office_imports_and_handles_lines(bag):
    staff = facility_staff(bag.facility)
    with pytest.raises(services.OrderError):
        import_report(staff, report(report_row("KB-X-1", 5_000, time=NOW)))
    import_report(head_office_user(), report(report_row("KB-X-1", 5_000, time=NOW)))
    with pytest.raises(services.OrderError):
        gateway_services.gateway_report_line_resolve(
            line=GatewayReportLine.objects.get(), actor=staff
        )


# --- the desk in the admin ------------------------------------------------------


def test_head_office_uploads_the_report_and_marks_a_line_handled(client, bag):
    _r, paid = paid_checkout([(bag, 1)])
    boss = head_office_user()
    client.force_login(boss)
    upload = SimpleUploadedFile(
        "settlement.csv",
        report(
            report_row(paid.gateway_order_id, 175_000, time=NOW),
            report_row("KB-NN-1", 9_000, time=NOW),
        ),
        content_type="text/csv",
    )

    response = client.post("/admin/orders/gatewayreportimport/add/", {"file": upload}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 baris dibaca, 2 baru" in page and "1 cocok" in page
    assert "1 baris perlu ditangani" in page
    held = GatewayReportLine.objects.get(outcome=Out.UNKNOWN_ORDER)
    listing = client.get("/admin/orders/gatewayreportline/", {"perlu": "ya"}).content.decode()
    assert "KB-NN-1" in listing and paid.gateway_order_id not in listing
    client.post(
        "/admin/orders/gatewayreportline/",
        {"action": "resolve", "_selected_action": [held.pk]},
    )
    held.refresh_from_db()
    assert held.resolved_by == boss and not held.needs_person


def test_a_hostile_upload_is_a_message_on_the_form(client, db):
    client.force_login(head_office_user())
    upload = SimpleUploadedFile("x.csv", b"\x00\xff\xfe garbage", content_type="text/csv")
    response = client.post("/admin/orders/gatewayreportimport/add/", {"file": upload})
    assert response.status_code == 200
    assert "Baris judul kolom laporan settlement tidak ditemukan" in response.content.decode()


@pytest.mark.parametrize("role", ["facility_staff", "kanwil"])
def test_only_head_office_reaches_the_desk(client, bag, role):
    user = (
        facility_staff(bag.facility)
        if role == "facility_staff"
        else regional_reviewer(bag.facility.region)
    )
    client.force_login(user)
    assert client.get("/admin/orders/gatewayreportimport/add/").status_code == 403
    assert client.get("/admin/orders/gatewayreportline/").status_code == 403
    assert client.get("/admin/orders/gatewayreportimport/").status_code == 403
    upload = SimpleUploadedFile("s.csv", report(report_row("KB-X-1", 5_000, time=NOW)))
    response = client.post("/admin/orders/gatewayreportimport/add/", {"file": upload})
    assert response.status_code == 403
    assert not GatewayReportLine.objects.exists()
