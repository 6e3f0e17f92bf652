import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.sales_channels import channels
from facilities.scoping import scope_for
from orders.models import Order, OrderLine, OrderStatus
from oversight import selectors
from oversight.periods import add_months, this_month
from tests.factories import FacilityFactory, facility_staff, head_office_user, regional_reviewer
from tests.oversight.factories import ProductFactory, make_order

SALES_URL = "/admin/laporan/penjualan/"
CSV_URL = "/admin/laporan/penjualan.csv"
XLSX_URL = "/admin/laporan/penjualan.xlsx"
SHARES_URL = "/admin/laporan/pembagian-hasil.csv"


def _csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_totals_reconcile_with_the_orders_they_summarise(world):
    scope = scope_for(head_office_user())
    facilities = scope.facilities()
    rows = selectors.sales_by_facility_month(
        scope, facilities=facilities, first=add_months(this_month(), -11), last=this_month()
    )
    # Independently, from the order rows themselves: only sales statuses count.
    sales = [o for o in Order.objects.all() if o.status in selectors.SALE_STATUSES]
    assert sum(r.orders for r in rows) == len(sales) == 4
    assert sum(r.revenue for r in rows) == sum(o.subtotal for o in sales)
    assert sum(r.shipping for r in rows) == sum(o.shipping_fee for o in sales)
    assert sum(r.total for r in rows) == sum(o.total for o in sales)
    items = sum(
        line.quantity
        for line in OrderLine.objects.select_related("order")
        if line.order.status in selectors.SALE_STATUSES
    )
    assert sum(r.items for r in rows) == items == 10

    kendari = {r.month: r for r in rows if r.facility_id == world["kendari"].pk}
    now_row, last_row = kendari[this_month()], kendari[add_months(this_month(), -1)]
    # 2 bags + 1 miniature, and 1 bag: the cancelled, expired and unpaid ones are left out.
    assert (now_row.orders, now_row.items, now_row.revenue, now_row.shipping) == (
        2,
        4,
        725_000,
        20_000,
    )
    assert (last_row.orders, last_row.items, last_row.revenue, last_row.shipping) == (
        1,
        3,
        1_050_000,
        35_000,
    )


def test_cancelling_a_sale_takes_it_out_of_the_report(world):
    scope = scope_for(head_office_user())
    first, last = add_months(this_month(), -11), this_month()

    def revenue():
        rows = selectors.sales_by_facility_month(
            scope, facilities=scope.facilities(), first=first, last=last
        )
        return sum(r.revenue for r in rows)

    before = revenue()
    Order.objects.filter(pk=world["orders"]["k_paid"].pk).update(status=OrderStatus.CANCELLED)
    assert revenue() == before - 125_000


def test_proceeds_allocation_splits_revenue_and_adds_up(world):
    scope = scope_for(head_office_user())
    rows = selectors.sales_by_facility_month(
        scope,
        facilities=scope.facilities(),
        first=add_months(this_month(), -11),
        last=this_month(),
    )
    shares = selectors.proceeds_allocation(rows)
    kendari = [(s.name, s.amount) for s in shares if s.facility_id == world["kendari"].pk]
    assert kendari == [("Premi warga binaan", 887_500), ("PNBP", 221_875), ("", 665_625)]
    assert sum(amount for _name, amount in kendari) == 1_775_000
    palembang = [(s.name, s.amount) for s in shares if s.facility_id == world["palembang"].pk]
    assert palembang == [("", 2_331_000)]


def test_reviewer_sees_only_their_region_on_the_page(client, world):
    client.force_login(regional_reviewer(world["sultra"]))
    response = client.get(SALES_URL)
    assert response.status_code == 200
    assert "Lapas Kendari" in response.text
    assert "Rp 1.775.000" in response.text  # Kendari's revenue over the year
    assert "Palembang" not in response.text
    assert "2.331.000" not in response.text


@pytest.mark.parametrize("url", [SALES_URL, CSV_URL, XLSX_URL, SHARES_URL])
@pytest.mark.parametrize("param", ["facility", "region"])
def test_reviewer_cannot_reach_another_region_by_tampering(client, world, url, param):
    client.force_login(regional_reviewer(world["sultra"]))
    other = world["palembang"] if param == "facility" else world["sumsel"]
    response = client.get(url, {param: other.pk})
    body = response.content.decode("utf-8", errors="replace")
    assert "Palembang" not in body and "2331000" not in body and "2.331.000" not in body
    if url == SALES_URL:
        assert response.status_code == 200
        assert "tidak ada dalam wilayah Anda" in body
    else:
        assert response.status_code == 400
        assert "Filter laporan tidak valid" in body


def test_staff_report_is_their_facility_only(client, world):
    client.force_login(facility_staff(world["palembang"]))
    rows = _csv_rows(client.get(CSV_URL))
    assert {row[1] for row in rows[1:]} == {"Lapas Perempuan Palembang"}
    for param, other in [("facility", world["kendari"]), ("region", world["sultra"])]:
        response = client.get(CSV_URL, {param: other.pk})
        assert response.status_code == 400
        assert "Kendari" not in response.content.decode()
        response = client.get(SALES_URL, {param: other.pk})
        assert "tidak ada dalam wilayah Anda" in response.text
        assert "Kendari" not in response.text


def test_csv_contents(client, world):
    client.force_login(head_office_user())
    response = client.get(CSV_URL, {"region": world["sultra"].pk})
    first, last = add_months(this_month(), -11), this_month()
    assert response["Content-Disposition"] == (
        f'attachment; filename="penjualan-{first:%Y-%m}-{last:%Y-%m}.csv"'
    )
    rows = _csv_rows(response)
    assert rows[0] == [
        "Kanwil",
        "UPT",
        "Bulan",
        "Pesanan",
        "Barang terjual",
        "Pendapatan barang (Rp)",
        "Terjual di mitra (titipan)",
        "Pendapatan titipan (Rp)",
        "Ongkos kirim (Rp)",
        "Total (Rp)",
        "Refund (Rp)",
        "Bersih (Rp)",
        "Pesanan eceran",
        "Pendapatan eceran (Rp)",
        "Pesanan instansi",
        "Pendapatan instansi (Rp)",
        "Terjual di kanal lain (stand, ...)",
        "Pendapatan kanal lain (Rp)",
    ]
    assert rows[1:] == [
        [
            "Kanwil Sulawesi Tenggara",
            "Lapas Kendari",
            add_months(this_month(), -1).strftime("%Y-%m"),
            "1",
            "3",
            "1050000",
            "0",
            "0",
            "35000",
            "1085000",
            "0",
            "1085000",
            "1",
            "1050000",
            "0",
            "0",
            "0",
            "0",
        ],
        [
            "Kanwil Sulawesi Tenggara",
            "Lapas Kendari",
            this_month().strftime("%Y-%m"),
            "2",
            "4",
            "725000",
            "0",
            "0",
            "20000",
            "745000",
            "0",
            "745000",
            "2",
            "725000",
            "0",
            "0",
            "0",
            "0",
        ],
    ]
    shares = _csv_rows(client.get(SHARES_URL, {"region": world["sultra"].pk}))
    assert shares[1:] == [
        ["Lapas Kendari", "Premi warga binaan", "50,00", "887500"],
        ["Lapas Kendari", "PNBP", "12,50", "221875"],
        ["Lapas Kendari", "Belum dialokasikan", "", "665625"],
    ]


def test_xlsx_contents_and_indonesian_number_formats(client, world):
    client.force_login(head_office_user())
    response = client.get(XLSX_URL, {"facility": world["palembang"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Penjualan", "Pembagian hasil", "Penawaran dan piutang"]
    sheet = workbook["Penjualan"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Kanwil"
    assert len(values) == 2
    (
        region,
        facility,
        month,
        orders,
        items,
        revenue,
        consigned,
        consigned_revenue,
        shipping,
        total,
        refunds,
        net,
    ) = values[1][:12]
    assert values[1][12:] == (1, 2_331_000, 0, 0, 0, 0)  # retail, institutional, channels
    assert (refunds, net) == (0, total)
    assert (consigned, consigned_revenue) == (0, 0)
    assert (region, facility, orders, items) == (
        "Kanwil Sumatera Selatan",
        "Lapas Perempuan Palembang",
        1,
        3,
    )
    assert (revenue, shipping, total) == (2_331_000, 55_000, 2_386_000)
    assert (month.year, month.month) == (this_month().year, this_month().month)
    # Real numbers with a grouping format: Excel in Indonesian shows Rp 2.331.000.
    assert sheet.cell(row=2, column=6).number_format == '"Rp" #,##0'
    assert sheet.cell(row=2, column=8).number_format == '"Rp" #,##0'
    assert sheet.cell(row=2, column=4).number_format == "#,##0"
    assert sheet.cell(row=2, column=3).number_format == "mmm yyyy"
    shares = list(workbook["Pembagian hasil"].iter_rows(values_only=True))
    assert shares[1] == ("Lapas Perempuan Palembang", "Belum dialokasikan", None, 2_331_000)


def test_filter_by_period_and_bad_periods_get_a_message(client, world):
    client.force_login(head_office_user())
    month = this_month().strftime("%Y-%m")
    rows = _csv_rows(client.get(CSV_URL, {"start": month, "end": month}))
    assert sum(int(row[5]) for row in rows[1:]) == 725_000 + 2_331_000
    response = client.get(SALES_URL, {"start": "2026-13"})
    assert "Tulis bulan sebagai TTTT-BB" in response.text
    response = client.get(CSV_URL, {"start": month, "end": "2020-01"})
    assert response.status_code == 400
    assert "Bulan akhir harus sama atau sesudah bulan awal" in response.content.decode()
    response = client.get(CSV_URL, {"start": "2020-01", "end": month})
    assert response.status_code == 400
    assert "paling lama 36 bulan" in response.content.decode()


def test_users_without_a_scope_get_no_report(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    assert client.get(SALES_URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403
    client.logout()
    assert client.get(CSV_URL).status_code == 302  # to the admin login


@pytest.fixture
def many_sales(db):
    def make(facility_count, orders_per_facility):
        from tests.factories import RegionFactory

        region = RegionFactory()
        created = timezone.now() - timedelta(days=40)
        for _ in range(facility_count):
            facility = FacilityFactory(region=region)
            product = ProductFactory(facility=facility)
            for index in range(orders_per_facility):
                make_order(
                    facility, lines=[(product, 1)], created_at=created + timedelta(days=index)
                )
        return region

    return make


@pytest.mark.parametrize(("facilities", "orders"), [(2, 2), (8, 6)])
def test_report_query_count_does_not_grow(
    client, many_sales, facilities, orders, django_assert_max_num_queries
):
    region = many_sales(facilities, orders)
    client.force_login(regional_reviewer(region))
    # One grouped query each for orders, lines, consignment sales, refunds,
    # names; and the session row (database sessions, shared by every worker).
    # +4 for open quotes and receivables: the facilities, then requests, quotes
    # and receivables grouped per facility (oversight.selectors.institutional).
    # +1: the inbox counts of the header badge (facilities.inbox), one query.
    # +1: the facility ids in scope that the registered sales channels
    # (core.sales_channels) are asked about, and one read per channel.
    per_channel = len(channels())
    with django_assert_max_num_queries(19 + per_channel):
        response = client.get(SALES_URL)
    assert response.status_code == 200
    with django_assert_max_num_queries(14 + per_channel):
        response = client.get(XLSX_URL)
    assert response.status_code == 200
    with django_assert_max_num_queries(10 + per_channel):
        response = client.get(CSV_URL)
    assert len(_csv_rows(response)) > 1


def test_a_long_report_shows_facility_totals_and_leaves_detail_to_the_files(
    client, world, monkeypatch
):
    from oversight import views

    client.force_login(head_office_user())
    response = client.get(SALES_URL)
    assert 'id="sales-table"' in response.text
    monkeypatch.setattr(views, "DETAIL_ROWS_ON_PAGE", 2)
    response = client.get(SALES_URL)
    assert 'id="sales-table"' not in response.text
    assert "unduh CSV atau XLSX" in response.text
    totals = {row["facility"]: row["revenue"] for row in response.context["facility_totals"]}
    assert totals == {"Lapas Kendari": 1_775_000, "Lapas Perempuan Palembang": 2_331_000}
    assert "Rp 4.106.000" in response.text


def test_months_are_counted_in_jakarta_time(world):
    """An order at 00:30 WIB on the 1st belongs to that month, though it is
    still the previous month in UTC."""
    from datetime import UTC

    from oversight.periods import month_start_at

    first_of_month = this_month()
    just_after_midnight = month_start_at(first_of_month) + timedelta(minutes=30)
    assert just_after_midnight.astimezone(UTC).month != first_of_month.month
    make_order(world["palembang"], lines=[(world["songket"], 1)], created_at=just_after_midnight)
    scope = scope_for(head_office_user())
    rows = selectors.sales_by_facility_month(
        scope, facilities=scope.facilities(), first=first_of_month, last=first_of_month
    )
    (palembang,) = [row for row in rows if row.facility_id == world["palembang"].pk]
    assert (palembang.month, palembang.orders) == (first_of_month, 2)


def test_names_that_look_like_formulas_stay_text_in_both_files(client, world):
    from facilities.models import Facility

    Facility.objects.filter(pk=world["kendari"].pk).update(name='=HYPERLINK("http://x","y")')
    client.force_login(head_office_user())
    rows = _csv_rows(client.get(CSV_URL, {"facility": world["kendari"].pk}))
    assert rows[1][1] == '\'=HYPERLINK("http://x","y")'
    workbook = load_workbook(io.BytesIO(client.get(XLSX_URL).content))
    cells = [row[1] for row in workbook["Penjualan"].iter_rows(min_row=2)]
    kendari = next(cell for cell in cells if "HYPERLINK" in str(cell.value))
    assert kendari.data_type == "s"
    assert kendari.value == '=HYPERLINK("http://x","y")'


def _consignment_sale(facility, *, quantity, unit_price, on):
    from catalog.models import OutletProduct
    from catalog.services import consignment_hand_over, consignment_report_sold
    from tests.factories import PartnerOutletFactory

    outlet = PartnerOutletFactory(
        facility=facility, city="Kendari", agreement_start=on - timedelta(days=40)
    )
    product = ProductFactory(
        facility=facility, name="Miniatur Jati Titipan", price=90_000, stock=20
    )
    link = OutletProduct.objects.create(outlet=outlet, product=product)
    staff = facility_staff(facility)
    consignment_hand_over(link=link, quantity=quantity, actor=staff, occurred_on=on)
    return consignment_report_sold(
        link=link, quantity=quantity, unit_price=unit_price, actor=staff, occurred_on=on
    )


def test_consignment_sales_count_in_their_month_and_in_the_totals(client, world):
    today = timezone.localdate()
    _consignment_sale(world["kendari"], quantity=3, unit_price=80_000, on=today)
    scope = scope_for(head_office_user())
    rows = selectors.sales_by_facility_month(
        scope, facilities=scope.facilities(), first=add_months(this_month(), -11), last=this_month()
    )
    now_row = next(
        r for r in rows if r.facility_id == world["kendari"].pk and r.month == this_month()
    )
    assert (now_row.consigned_items, now_row.consigned_revenue) == (3, 240_000)
    # Web sales unchanged; goods revenue and total include the outlet's sales.
    assert (now_row.orders, now_row.revenue) == (2, 725_000)
    assert now_row.total == 725_000 + 240_000 + 20_000
    # The proceeds split covers goods sold at the outlet too.
    shares = selectors.proceeds_allocation(rows)
    kendari = [s for s in shares if s.facility_id == world["kendari"].pk]
    assert sum(s.amount for s in kendari) == 1_050_000 + 725_000 + 240_000

    client.force_login(regional_reviewer(world["sultra"]))
    page = client.get(SALES_URL).content.decode()
    assert 'id="total-consigned">Rp 240.000<' in page


def test_consignment_sales_stay_in_their_region(client, world):
    _consignment_sale(world["kendari"], quantity=2, unit_price=50_000, on=timezone.localdate())
    client.force_login(regional_reviewer(world["sumsel"]))
    page = client.get(SALES_URL).content.decode()
    assert "Lapas Kendari" not in page and 'id="total-consigned">Rp 0<' in page


def test_a_month_with_only_consignment_sales_has_its_row(world):
    two_months_ago = add_months(this_month(), -2)
    _consignment_sale(world["palembang"], quantity=1, unit_price=777_000, on=two_months_ago)
    scope = scope_for(head_office_user())
    rows = selectors.sales_by_facility_month(
        scope, facilities=scope.facilities(), first=add_months(this_month(), -11), last=this_month()
    )
    row = next(r for r in rows if r.month == two_months_ago)
    assert (row.facility, row.orders, row.consigned_items, row.total) == (
        "Lapas Perempuan Palembang",
        0,
        1,
        777_000,
    )
