import csv
import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from catalog.models import ListingStatus
from core.sales_channels import channels
from facilities.models import Facility
from tests.factories import FacilityFactory, RegionFactory, head_office_user, regional_reviewer
from tests.oversight.factories import CategoryFactory, ProductFactory, make_order

RECAP_URL = "/admin/laporan/produk/"


@pytest.fixture
def recap_world(world):
    food = CategoryFactory(name_id="Makanan", slug="makanan-o")
    kendari = world["kendari"]
    ProductFactory(facility=kendari, category=food, name="Pempek", price=50_000, stock=10)
    ProductFactory(
        facility=kendari,
        category=food,
        name="Roti",
        price=15_000,
        stock=4,
        status=ListingStatus.PENDING_REVIEW,
    )
    ProductFactory(  # made to order: its stock number is not ready stock
        facility=kendari,
        category=food,
        name="Kue Pesanan",
        price=200_000,
        stock=7,
        made_to_order=True,
        lead_time_days=3,
        status=ListingStatus.DRAFT,
    )
    return world


# The public impact page's whole build (issue 35: rupiah per region and month):
# regions, facilities, products, items sold, completed orders, the facility map,
# web orders and consignment per month, ledger entries, headcounts, products
# sold per month; each registered sales channel (core.sales_channels: the
# stand till) adds its own read.
IMPACT_QUERIES = 11 + len(channels())


def test_recap_counts_listings_by_status_and_values_stock(client, recap_world):
    client.force_login(regional_reviewer(recap_world["sultra"]))
    response = client.get(RECAP_URL)
    assert response.status_code == 200
    rows = {row.category: row for row in response.context["rows"]}
    food = rows["Makanan"]
    assert food.counts[ListingStatus.APPROVED] == 1
    assert food.counts[ListingStatus.PENDING_REVIEW] == 1
    assert food.counts[ListingStatus.DRAFT] == 1
    assert food.total == 3
    assert food.stock_units == 14
    assert food.stock_value == 10 * 50_000 + 4 * 15_000
    # Kendari's bag and miniature: 20 each at 125.000 and 350.000.
    assert response.context["totals"]["stock_value"] == 560_000 + 20 * 125_000 + 20 * 350_000
    assert "Palembang" not in response.text and "Songket" not in response.text


def test_recap_exports_and_scope(client, recap_world):
    client.force_login(regional_reviewer(recap_world["sultra"]))
    text = client.get("/admin/laporan/produk.csv").content.decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[0]
    assert header[:3] == ["Kanwil", "UPT", "Kategori"]
    assert header[-3:] == ["Jumlah produk", "Stok siap", "Nilai stok (Rp)"]
    makanan = next(row for row in rows if row[2] == "Makanan")
    assert makanan[-3:] == ["3", "14", "560000"]
    assert all(row[1] == "Lapas Kendari" for row in rows[1:])

    workbook = load_workbook(io.BytesIO(client.get("/admin/laporan/produk.xlsx").content))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert any(row[2] == "Makanan" and row[-1] == 560_000 for row in values[1:])
    assert sheet.cell(row=2, column=len(header)).number_format == '"Rp" #,##0'

    for url in ["/admin/laporan/produk.csv", "/admin/laporan/produk.xlsx"]:
        response = client.get(url, {"facility": recap_world["palembang"].pk})
        assert response.status_code == 400
        assert b"Songket" not in response.content
    response = client.get(RECAP_URL, {"region": recap_world["sumsel"].pk})
    assert "tidak ada dalam wilayah Anda" in response.text
    assert "Songket" not in response.text


def test_head_office_filters_the_recap_by_region(client, recap_world):
    client.force_login(head_office_user())
    response = client.get(RECAP_URL, {"region": recap_world["sumsel"].pk})
    assert {row.facility for row in response.context["rows"]} == {"Lapas Perempuan Palembang"}
    response = client.get(
        RECAP_URL,
        {"region": recap_world["sumsel"].pk, "facility": recap_world["kendari"].pk},
    )
    assert "tidak berada di Kanwil yang dipilih" in response.text


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_impact_page_shows_aggregates_per_region_and_no_personal_data(
    client, world, fresh_cache, django_assert_max_num_queries
):
    FacilityFactory(region=world["sultra"], name="Rutan Raha", is_active=False)
    with django_assert_max_num_queries(IMPACT_QUERIES):
        response = client.get("/dampak/")
    assert response.status_code == 200
    regions = {row.name: row for row in response.context["regions"]}
    sultra = regions["Kanwil Sulawesi Tenggara"]
    # One active facility (Raha is inactive), two public listings, 3 + 1 + 3 items
    # from Kendari's three sales (cancelled and expired left out), one completed.
    assert (sultra.facilities, sultra.products, sultra.items_sold, sultra.orders_completed) == (
        1,
        2,
        7,
        1,
    )
    sumsel = regions["Kanwil Sumatera Selatan"]
    assert (sumsel.items_sold, sumsel.orders_completed) == (3, 1)
    national = response.context["national"]
    assert (national.facilities, national.items_sold, national.orders_completed) == (2, 10, 2)
    assert "Pembeli Uji" not in response.text and "0812" not in response.text
    assert "Kanwil Sulawesi Tenggara" in response.text


def test_impact_counts_consignment_sales_as_the_sales_report_does(
    client, world, fresh_cache, django_assert_max_num_queries
):
    """Goods a partner outlet reported sold are sold goods on the public page
    too; the page and the sales report no longer disagree."""
    from catalog.models import OutletProduct
    from catalog.services import consignment_hand_over, consignment_report_sold
    from tests.factories import PartnerOutletFactory

    product = ProductFactory(facility=world["kendari"], stock=10)
    outlet = PartnerOutletFactory(facility=world["kendari"])
    link = OutletProduct.objects.create(outlet=outlet, product=product)
    consignment_hand_over(link=link, quantity=4, actor=None)
    consignment_report_sold(link=link, quantity=3, actor=None, unit_price=product.price)
    with django_assert_max_num_queries(IMPACT_QUERIES):
        response = client.get("/dampak/")
    regions = {row.name: row for row in response.context["regions"]}
    assert regions["Kanwil Sulawesi Tenggara"].items_sold == 7 + 3
    assert response.context["national"].items_sold == 10 + 3


@pytest.mark.parametrize("region_count", [2, 10])
def test_impact_query_count_is_constant(
    client, db, fresh_cache, region_count, django_assert_max_num_queries
):
    for _ in range(region_count):
        facility = FacilityFactory(region=RegionFactory())
        product = ProductFactory(facility=facility)
        make_order(facility, lines=[(product, 2)])
    with django_assert_max_num_queries(IMPACT_QUERIES):
        response = client.get("/dampak/")
    assert len(response.context["regions"]) == Facility.objects.values("region").distinct().count()


def test_stock_value_past_two_billion_rupiah_does_not_overflow(client, world):
    ProductFactory(facility=world["kendari"], name="Paving Block", price=2_500_000, stock=5_000)
    client.force_login(regional_reviewer(world["sultra"]))
    response = client.get(RECAP_URL)
    assert response.status_code == 200
    assert response.context["totals"]["stock_value"] == 12_500_000_000 + 20 * (125_000 + 350_000)


def test_footer_links_to_the_impact_page(client, db, fresh_cache):
    assert 'href="/dampak/"' in client.get("/dampak/").text


def test_report_pages_carry_no_inline_code(client, world, fresh_cache):
    """The Content-Security-Policy forbids inline styles and scripts; the
    charts are classes on SVG elements, styled from static/css/oversight.css."""
    client.force_login(head_office_user())
    for path in ["/admin/", "/admin/laporan/penjualan/", RECAP_URL, "/dampak/"]:
        html = client.get(path).content.decode()
        assert "<svg" in html or path == RECAP_URL, path
        assert 'style="' not in html, path
        assert "<style" not in html, path
        assert "<script>" not in html, path
