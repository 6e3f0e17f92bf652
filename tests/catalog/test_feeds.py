"""Product feeds (Google Merchant RSS 2.0 and CSV): validity, visibility,
absolute links, and a query count that does not grow with the catalog."""

import csv
import io
from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.feeds import FEED_COLUMNS, G_NAMESPACE
from catalog.models import ListingStatus
from tests.catalog.factories import ProductFactory, ProductImageFactory
from tests.factories import FacilityFactory

G = f"{{{G_NAMESPACE}}}"


def parse_items(body: bytes) -> dict[str, dict[str, str]]:
    root = ET.fromstring(body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") and channel.findtext("link")
    items = {}
    for item in channel.findall("item"):
        row = {child.tag.removeprefix(G): child.text for child in item}
        items[row["id"]] = row
    return items


def parse_csv(text: str) -> dict[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {row["id"]: row for row in rows}


@pytest.fixture
def catalog(db, settings):
    settings.SITE_URL = "https://karyabinaan.example"
    facility = FacilityFactory(name="Lapas Kelas IIA Pangkalpinang", slug="lapas-pangkalpinang")
    ready = ProductFactory(
        facility=facility,
        name="Perangkap Tikus",
        price=125_000,
        stock=5,
        description="<p>Perangkap   tikus kawat</p> galvanis",
    )
    ProductImageFactory(product=ready, position=0)
    ProductImageFactory(product=ready, position=1)
    sold_out = ProductFactory(facility=facility, name="Sarang Lovebird", stock=0)
    to_order = ProductFactory(
        facility=facility, name="Lemari Jati", stock=0, made_to_order=True, lead_time_days=14
    )
    hidden = ProductFactory(facility=facility, status=ListingStatus.PENDING_REVIEW)
    other = ProductFactory(name="Keset Sabut")
    inactive = ProductFactory(facility=FacilityFactory(is_active=False))
    return {
        "facility": facility,
        "ready": ready,
        "sold_out": sold_out,
        "to_order": to_order,
        "hidden": hidden,
        "other": other,
        "inactive": inactive,
    }


def test_xml_feed_is_rss_with_google_fields(client, catalog):
    response = client.get("/feed/google.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    items = parse_items(response.content)
    ready = items[str(catalog["ready"].pk)]
    assert ready["title"] == "Perangkap Tikus"
    assert ready["description"] == "Perangkap tikus kawat galvanis"
    assert ready["link"] == f"https://karyabinaan.example/produk/{catalog['ready'].slug}/"
    cover = catalog["ready"].images.order_by("position").first()
    assert ready["image_link"].startswith("https://karyabinaan.example/")
    assert ready["image_link"].endswith(cover.renditions["1280"]["jpeg"])
    assert ready["price"] == "125000 IDR"
    assert ready["availability"] == "in_stock"
    assert ready["brand"] == "Lapas Kelas IIA Pangkalpinang"
    assert ready["condition"] == "new"
    assert items[str(catalog["sold_out"].pk)]["availability"] == "out_of_stock"
    assert items[str(catalog["to_order"].pk)]["availability"] == "preorder"
    # A product without a photo has no image_link element rather than an empty one.
    assert "image_link" not in items[str(catalog["sold_out"].pk)]


def test_feeds_list_only_public_products(client, catalog):
    expected = {str(catalog[k].pk) for k in ("ready", "sold_out", "to_order", "other")}
    assert set(parse_items(client.get("/feed/google.xml").content)) == expected
    assert set(parse_csv(client.get("/feed/google.csv").text)) == expected


def test_facility_feed_lists_only_that_facility(client, catalog):
    expected = {str(catalog[k].pk) for k in ("ready", "sold_out", "to_order")}
    xml = client.get("/upt/lapas-pangkalpinang/feed.xml")
    assert set(parse_items(xml.content)) == expected
    channel = ET.fromstring(xml.content).find("channel")
    assert channel.findtext("link") == "https://karyabinaan.example/upt/lapas-pangkalpinang/"
    assert set(parse_csv(client.get("/upt/lapas-pangkalpinang/feed.csv").text)) == expected


def test_feed_of_an_inactive_or_unknown_facility_is_404(client, catalog):
    assert client.get(f"/upt/{catalog['inactive'].facility.slug}/feed.xml").status_code == 404
    assert client.get("/upt/tidak-ada/feed.csv").status_code == 404
    assert client.get("/upt/lapas-pangkalpinang/feed.json").status_code == 404


def test_csv_feed_has_google_columns_and_same_values(client, catalog):
    response = client.get("/feed/google.csv")
    assert response["Content-Type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(response.text)))
    assert header == FEED_COLUMNS
    assert {"id", "title", "description", "link", "image_link", "price"} <= set(header)
    rows = parse_csv(response.text)
    xml_items = parse_items(client.get("/feed/google.xml").content)
    ready = rows[str(catalog["ready"].pk)]
    assert ready == {column: xml_items[ready["id"]].get(column, "") for column in FEED_COLUMNS}


def test_xml_escapes_markup_in_names(client, db):
    product = ProductFactory(name="Tas <b>rajut</b> & dompet")
    items = parse_items(client.get("/feed/google.xml").content)
    assert items[str(product.pk)]["title"] == "Tas <b>rajut</b> & dompet"


@pytest.mark.parametrize("url", ["/feed/google.xml", "/feed/google.csv", "/upt/{slug}/feed.xml"])
def test_feed_query_count_does_not_grow_with_the_catalog(client, db, url):
    facility = FacilityFactory()
    url = url.format(slug=facility.slug)
    counts = {}
    made = 0
    for size in (5, 40):
        for _ in range(size - made):
            ProductImageFactory(product=ProductFactory(facility=facility))
        made = size
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.count(b"/produk/produk-uji-") == size
        counts[size] = len(ctx.captured_queries)
    assert counts[5] == counts[40] <= 4, counts
