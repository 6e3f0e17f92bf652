"""Bank-statement matching: reading the layouts, confirming through the order
service, idempotence, amount mismatches, and scope."""

from decimal import Decimal

import pytest

from orders import services
from orders.models import OrderEvent, OrderStatus
from orders.payments.models import StatementLine
from orders.payments.services.statements import statement_import, statement_line_resolve
from orders.payments.statement_csv import (
    LAYOUTS,
    StatementError,
    StatementLayout,
    order_code_candidates,
    parse_amount,
    read_statement,
)
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.factories import place

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/orders/statementimport/add/"


def bca_csv(*rows: tuple[str, str, str, str]) -> bytes:
    """A BCA-style export: preamble, header, rows (date, text, amount, CR/DB)."""
    lines = [
        "No. rekening : ,0123456789",
        "Periode : ,01/11/2026 - 22/11/2026",
        "",
        "Tanggal,Keterangan,Cabang,Jumlah,CR/DB,Saldo",
    ]
    balance = 1_000_000
    for date, text, amount, direction in rows:
        balance += 1
        lines.append(f'{date},"{text}",0000,"{amount}",{direction},"{balance:,}.00"')
    lines.append("Saldo Awal,,,,,1,000,000.00")
    return "\n".join(lines).encode()


def bri_csv(*rows: tuple[str, str, str, str]) -> bytes:
    """A BRI/Mandiri-style export (semicolons, Indonesian number format)."""
    lines = ["Tanggal Transaksi;Uraian;Debet;Kredit;Saldo"]
    for i, (date, text, debit, credit) in enumerate(rows):
        lines.append(f"{date};{text};{debit};{credit};{5_000 + i}.000,00")
    return "\n".join(lines).encode()


@pytest.fixture
def own(mukena):
    return place([(mukena, 1)]).orders[0]


@pytest.fixture
def others(miniature):
    return place([(miniature, 1)]).orders[0]


def import_file(data: bytes, *, order, actor=None, layout="bca"):
    actor = actor or facility_staff(order.facility)
    return statement_import(
        facility=order.facility,
        actor=actor,
        lines=read_statement(data, LAYOUTS[layout]),
        file_name="mutasi.csv",
        layout=layout,
    )


def test_amounts_in_both_number_formats():
    assert parse_amount("1,250,000.00") == Decimal("1250000")
    assert parse_amount("1.250.000,00") == Decimal("1250000")
    assert parse_amount("Rp 125.000") == Decimal("125000")
    assert parse_amount("125000") == Decimal("125000")
    assert parse_amount("175,000.50 CR") == Decimal("175000.50")
    assert parse_amount("") is None


def test_codes_are_found_inside_glued_words():
    assert "ACDEFGHJKM" in order_code_candidates("TRSF E-BANKING CR KBACDEFGHJKM siti")
    assert order_code_candidates("TRANSFER DARI SITI") == set()


def test_bca_layout_confirms_a_matching_credit(own):
    data = bca_csv(
        ("22/11/2026", f"TRSF E-BANKING CR 2211/FTSCY {own.code} SITI AMINAH", "175,000.00", "CR"),
        ("22/11/2026", "BIAYA ADM", "10,000.00", "DB"),
    )
    statement = import_file(data, order=own)
    own.refresh_from_db()
    assert own.status == OrderStatus.PAID
    assert statement.credit_lines == 1 and statement.confirmed == 1
    line = StatementLine.objects.get()
    assert line.outcome == StatementLine.Outcome.CONFIRMED and line.order == own
    # The same service as manual confirmation wrote the history row.
    event = OrderEvent.objects.get(order=own, to_status=OrderStatus.PAID)
    assert "mutasi rekening" in event.note


def test_bri_layout_with_debit_and_credit_columns(own):
    data = bri_csv(
        ("22/11/2026", f"TRANSFER DR SITI {own.code.lower()}", "", "175.000,00"),
        ("22/11/2026", "TARIK TUNAI", "50.000,00", ""),
    )
    statement = import_file(data, order=own, layout="debet_kredit")
    own.refresh_from_db()
    assert own.status == OrderStatus.PAID
    assert statement.credit_lines == 1


def test_importing_the_same_statement_twice_confirms_nothing_twice(own):
    data = bca_csv(("22/11/2026", f"TRSF {own.code}", "175,000.00", "CR"))
    import_file(data, order=own)
    events = OrderEvent.objects.filter(order=own).count()
    second = import_file(data, order=own)
    assert second.new_lines == 0 and second.confirmed == 0
    assert StatementLine.objects.count() == 1
    assert OrderEvent.objects.filter(order=own).count() == events


def test_two_identical_transfers_on_one_day_are_two_lines():
    lines = read_statement(
        b"Tanggal,Keterangan,Cabang,Jumlah,CR/DB,Saldo\n"
        b'22/11/2026,SETORAN TUNAI,0000,"50,000.00",CR,"100,000.00"\n'
        b'22/11/2026,SETORAN TUNAI,0000,"50,000.00",CR,"100,000.00"\n',
        LAYOUTS["bca"],
    )
    # Same date, text, amount and balance: still two lines, two hashes.
    assert len({line.line_hash for line in lines}) == 2


def test_a_different_amount_is_left_for_a_person(own):
    data = bca_csv(("22/11/2026", f"TRSF {own.code}", "170,000.00", "CR"))
    statement = import_file(data, order=own)
    own.refresh_from_db()
    assert own.status == OrderStatus.AWAITING_PAYMENT
    assert statement.confirmed == 0
    line = StatementLine.objects.get()
    assert line.outcome == StatementLine.Outcome.AMOUNT_MISMATCH
    assert line.order == own and line.needs_person


def test_a_credit_without_a_code_is_left_for_a_person(own):
    statement = import_file(
        bca_csv(("22/11/2026", "TRSF DARI BUDI", "175,000.00", "CR")), order=own
    )
    assert statement.confirmed == 0
    assert StatementLine.objects.get().outcome == StatementLine.Outcome.NO_MATCH


def test_a_paid_or_cancelled_order_is_not_confirmed_again(own):
    services.order_confirm_payment(order=own, actor=facility_staff(own.facility))
    import_file(bca_csv(("22/11/2026", f"TRSF {own.code}", "175,000.00", "CR")), order=own)
    assert StatementLine.objects.get().outcome == StatementLine.Outcome.NOT_AWAITING


def test_another_facilitys_order_code_is_never_confirmed(own, others):
    data = bca_csv(
        ("22/11/2026", f"TRSF {others.code}", f"{others.total:,}.00", "CR"),
    )
    statement = import_file(data, order=own)
    others.refresh_from_db()
    assert others.status == OrderStatus.AWAITING_PAYMENT
    assert statement.confirmed == 0
    line = StatementLine.objects.get()
    # Not even linked: the other facility's order is not this desk's business.
    assert line.outcome == StatementLine.Outcome.NO_MATCH and line.order is None


def test_staff_cannot_import_for_another_facility(own, others):
    with pytest.raises(services.OrderError):
        statement_import(
            facility=others.facility,
            actor=facility_staff(own.facility),
            lines=[],
            file_name="x.csv",
            layout="bca",
        )
    with pytest.raises(services.OrderError):
        statement_import(
            facility=own.facility,
            actor=regional_reviewer(own.facility.region),
            lines=[],
            file_name="x.csv",
            layout="bca",
        )


def test_head_office_may_import_for_any_facility(own):
    import_file(
        bca_csv(("22/11/2026", f"TRSF {own.code}", "175,000.00", "CR")),
        order=own,
        actor=head_office_user(),
    )
    own.refresh_from_db()
    assert own.status == OrderStatus.PAID


def test_a_file_without_the_layouts_columns_is_refused():
    with pytest.raises(StatementError, match="Kolom yang dicari"):
        read_statement(b"a,b,c\n1,2,3\n", LAYOUTS["bca"])


def test_custom_column_mapping():
    layout = StatementLayout(date="Tgl", description="Berita", credit="Masuk")
    lines = read_statement(
        b"Tgl,Berita,Keluar,Masuk\n2026-11-22,KB ACDEFGHJKM,,125000\n2026-11-22,X,5000,\n",
        layout,
    )
    assert [(str(line.booked_on), line.amount) for line in lines] == [
        ("2026-11-22", Decimal("125000"))
    ]


# --- the admin -----------------------------------------------------------------


def upload(client, data: bytes, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        UPLOAD,
        {"layout": "bca", **fields, "file": SimpleUploadedFile("mutasi.csv", data, "text/csv")},
    )


def test_staff_upload_in_the_admin_confirms_and_lists_the_rest(client, own):
    client.force_login(facility_staff(own.facility))
    assert client.get(UPLOAD).status_code == 200
    data = bca_csv(
        ("22/11/2026", f"TRSF {own.code}", "175,000.00", "CR"),
        ("22/11/2026", "TRSF DARI BUDI", "80,000.00", "CR"),
    )
    response = upload(client, data, facility=own.facility_id)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == OrderStatus.PAID
    body = client.get("/admin/orders/statementline/?perlu=ya").content.decode()
    assert "TRSF DARI BUDI" in body and own.code not in body


def test_staff_cannot_post_a_statement_for_another_facility(client, own, others):
    client.force_login(facility_staff(own.facility))
    data = bca_csv(("22/11/2026", f"TRSF {others.code}", f"{others.total:,}.00", "CR"))
    response = upload(client, data, facility=others.facility_id)
    assert response.status_code == 200  # the form refuses the facility
    others.refresh_from_db()
    assert others.status == OrderStatus.AWAITING_PAYMENT
    assert not StatementLine.objects.exists()


def test_staff_see_only_their_facilitys_lines(client, own, others):
    import_file(bca_csv(("22/11/2026", "DARI ANI", "1,000.00", "CR")), order=own)
    import_file(bca_csv(("22/11/2026", "DARI BUDI", "2,000.00", "CR")), order=others)
    client.force_login(facility_staff(own.facility))
    body = client.get("/admin/orders/statementline/").content.decode()
    assert "DARI ANI" in body and "DARI BUDI" not in body
    other_line = StatementLine.objects.get(description="DARI BUDI")
    assert client.get(f"/admin/orders/statementline/{other_line.pk}/change/").status_code == 404


def test_reviewers_have_no_statement_desk(client, own):
    client.force_login(regional_reviewer(own.facility.region))
    assert client.get(UPLOAD).status_code == 403


def test_a_bad_file_gets_an_indonesian_message(client, own):
    client.force_login(facility_staff(own.facility))
    response = upload(client, b"foo,bar\n1,2\n", facility=own.facility_id)
    assert response.status_code == 200
    assert "Baris judul kolom tidak ditemukan" in response.content.decode()


def test_resolving_a_line_marks_it_handled(own):
    import_file(bca_csv(("22/11/2026", "DARI ANI", "1,000.00", "CR")), order=own)
    line = StatementLine.objects.get()
    statement_line_resolve(line=line, actor=facility_staff(own.facility))
    line.refresh_from_db()
    assert not line.needs_person


def test_klikbca_layout_with_the_direction_after_the_amount(own):
    data = (
        "Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo\n"
        f'\'22/11,TRSF E-BANKING CR {own.code},0998,"175,000.00 CR","2,175,000.00"\n'
        '\'22/11,BIAYA TXN,0998,"6,500.00 DB","2,168,500.00"\n'
        '\'PEND,SETORAN,0000,"10,000.00 CR",\n'
    ).encode()
    lines = read_statement(data, LAYOUTS["bca_klik"])
    # The debit is skipped; the pending credit is kept, for a person.
    assert [(line.amount, line.problem) for line in lines] == [
        (Decimal("175000.00"), ""),
        (Decimal("10000.00"), StatementLine.Outcome.PENDING),
    ]
    import_file(data, order=own, layout="bca_klik")
    own.refresh_from_db()
    assert own.status == OrderStatus.PAID
    pending = StatementLine.objects.get(outcome=StatementLine.Outcome.PENDING)
    assert pending.needs_person and pending.date_text == "PEND"


# --- issue 13, finding 7: negative credits and dates no calendar has --------------


@pytest.mark.parametrize("amount", ["-175,000.00", "175,000.00-", "(175,000.00)"])
def test_a_negative_credit_never_confirms_and_is_kept_with_its_reason(own, amount):
    # The attack: a reversal of exactly the order's total, in the credit column.
    data = bca_csv(("22/11/2026", f"KOREKSI TRSF {own.code}", amount, "CR"))
    statement = import_file(data, order=own)
    own.refresh_from_db()
    assert own.status == OrderStatus.AWAITING_PAYMENT
    assert statement.confirmed == 0
    line = StatementLine.objects.get()
    assert line.amount == Decimal("-175000")
    assert line.outcome == StatementLine.Outcome.NOT_CREDIT and line.needs_person
    assert line.order == own  # pointed out to the person, not paid


def test_a_negative_amount_in_the_kredit_column_never_confirms(own):
    data = bri_csv(("22/11/2026", f"TRANSFER {own.code}", "", "-175.000,00"))
    statement = import_file(data, order=own, layout="debet_kredit")
    own.refresh_from_db()
    assert own.status == OrderStatus.AWAITING_PAYMENT and statement.confirmed == 0
    assert StatementLine.objects.get().outcome == StatementLine.Outcome.NOT_CREDIT


def test_amounts_keep_their_sign():
    assert parse_amount("-1,250,000.00") == Decimal("-1250000")
    assert parse_amount("1.250.000,00-") == Decimal("-1250000")
    assert parse_amount("(125.000)") == Decimal("-125000")
    assert parse_amount("12-500") is None


@pytest.mark.parametrize("written", ["29/02/2026", "31/04/2026", "30/02", "99/99/9999"])
def test_a_date_no_calendar_has_is_kept_for_a_person_not_dropped(own, written):
    data = bca_csv(
        (written, f"TRSF E-BANKING CR {own.code} SITI", "175,000.00", "CR"),
        ("22/11/2026", "TRSF DARI BUDI", "80,000.00", "CR"),
    )
    statement = import_file(data, order=own)
    own.refresh_from_db()
    # Kept, with the date as written and the reason; never used to confirm.
    assert statement.credit_lines == 2 and statement.confirmed == 0
    assert own.status == OrderStatus.AWAITING_PAYMENT
    line = StatementLine.objects.get(outcome=StatementLine.Outcome.BAD_DATE)
    assert (line.booked_on, line.date_text, line.order) == (None, written, own)
    assert line.needs_person
    # Importing the same export again adds nothing.
    assert import_file(data, order=own).new_lines == 0


def test_29_february_without_a_year_is_read_in_a_leap_year():
    from datetime import date

    from orders.payments.statement_csv import parse_date

    assert parse_date("29/02", today=date(2028, 3, 1)) == date(2028, 2, 29)
    # In January, "29/02" is last year's only if last year had one.
    assert parse_date("29/02", today=date(2029, 1, 10)) == date(2028, 2, 29)
    assert parse_date("29/02", today=date(2026, 11, 28)) is None
    # A December line read in January is last December, not next.
    assert parse_date("22/12", today=date(2027, 1, 5)) == date(2026, 12, 22)
    assert parse_date("'22/11", today=date(2026, 11, 28)) == date(2026, 11, 22)


def test_a_29_february_line_in_a_leap_year_confirms(own, monkeypatch):
    from datetime import date

    from orders.payments import statement_csv as statements

    monkeypatch.setattr(statements.timezone, "localdate", lambda: date(2028, 3, 1))
    data = (
        "Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo\n"
        f'\'29/02,TRSF E-BANKING CR {own.code},0998,"175,000.00 CR","2,175,000.00"\n'
    ).encode()
    import_file(data, order=own, layout="bca_klik")
    own.refresh_from_db()
    assert own.status == OrderStatus.PAID
    assert StatementLine.objects.get().booked_on == date(2028, 2, 29)


def test_summary_rows_without_a_date_are_still_skipped():
    lines = read_statement(
        b"Tanggal Transaksi;Uraian;Debet;Kredit;Saldo\n"
        b"22/11/2026;SETORAN;;50.000,00;150.000,00\n"
        b";Total Mutasi;0,00;50.000,00;\n"
        b"Saldo Akhir;;;150.000,00;\n",
        LAYOUTS["debet_kredit"],
    )
    assert [(line.description, line.problem) for line in lines] == [("SETORAN", "")]


def test_the_desk_shows_why_each_held_line_waits(client, own):
    client.force_login(facility_staff(own.facility))
    data = bca_csv(
        ("29/02/2026", f"TRSF {own.code}", "175,000.00", "CR"),
        ("22/11/2026", f"KOREKSI {own.code}", "-175,000.00", "CR"),
    )
    response = upload(client, data, facility=own.facility_id)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == OrderStatus.AWAITING_PAYMENT
    page = client.get(response.url)
    body = page.content.decode()
    assert "2 baris perlu ditangani" in body
    assert "Tanggal tidak ada di kalender" in body and "29/02/2026" in body
    assert "Nominal negatif: bukan uang masuk" in body
    listing = client.get("/admin/orders/statementline/?perlu=ya").content.decode()
    assert listing.count(own.code) >= 2


def test_a_transfer_for_a_receivable_on_terms_marks_it_paid(own):
    # An institutional order delivered on 30-day terms: the transfer arrives
    # after delivery and the statement confirms it where it stands.
    own.__class__.objects.filter(pk=own.pk).update(
        status=OrderStatus.COMPLETED, payment_terms_days=30, buyer_organisation="Dinas PUPR"
    )
    import_file(bca_csv(("22/11/2026", f"TRSF {own.code} PUPR", "175,000.00", "CR")), order=own)
    own.refresh_from_db()
    assert own.status == OrderStatus.COMPLETED and own.paid_at is not None
    assert StatementLine.objects.get().outcome == StatementLine.Outcome.CONFIRMED
    # Paid once: the same transfer again confirms nothing.
    import_file(bca_csv(("23/11/2026", f"TRSF {own.code} PUPR", "175,000.00", "CR")), order=own)
    assert StatementLine.objects.filter(outcome=StatementLine.Outcome.NOT_AWAITING).count() == 1
