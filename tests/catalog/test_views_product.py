"""Product page: what it shows, who may see it, what machines read from it."""

import json
import re

import pytest

from catalog.models import ListingStatus
from tests.catalog.factories import CategoryFactory, ProductFactory, ProductImageFactory
from tests.factories import FacilityFactory, facility_staff, head_office_user, regional_reviewer


def json_ld(response) -> dict:
    block = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S
    ).group(1)
    return json.loads(block)


@pytest.fixture
def songket(db):
    facility = FacilityFactory(
        name="Lapas Perempuan Palembang", slug="lapas-perempuan-palembang", whatsapp="0812 7000 111"
    )
    product = ProductFactory(
        facility=facility,
        name="Kain Songket Lepus",
        slug="kain-songket-lepus",
        description="Songket tenun tangan <b>motif lepus</b>.",
        price=1_250_000,
        unit="pcs",
        min_order_quantity=2,
        stock=4,
        weight_grams=800,
    )
    ProductImageFactory(product=product, position=0, alt_text="Songket merah terlipat")
    ProductImageFactory(product=product, position=1, alt_text="Detail motif lepus")
    return product


def test_product_page_shows_what_sells(client, songket):
    response = client.get("/produk/kain-songket-lepus/")
    assert response.status_code == 200
    text = response.text
    assert "<h1>Kain Songket Lepus</h1>" in text
    assert "Rp 1.250.000" in text and "/ pcs" in text
    assert "Minimal pembelian" in text and "2 pcs" in text
    assert "Stok siap: 4 pcs" in text
    assert "800 g" in text
    assert "Lapas Perempuan Palembang" in text
    # The gallery: a WebP srcset, a JPEG fallback, sizes, width and height;
    # the first photo eager, the rest lazy.
    assert text.count('<source type="image/webp" srcset="') == 2
    assert re.search(r'<img src="[^"]+\.jpg" srcset="[^"]+ 320w, [^"]+ 640w, [^"]+ 1280w"', text)
    assert 'alt="Songket merah terlipat"' in text and 'alt="Detail motif lepus"' in text
    assert text.count('fetchpriority="high"') == 1 and text.count('loading="lazy"') == 1
    # The add-to-cart form (owned by the orders app) is included.
    assert f'name="product" value="{songket.pk}"' in text


def test_whatsapp_link_is_prefilled_with_name_and_absolute_url(client, songket, settings):
    settings.SITE_URL = "https://karyabinaan.id"
    text = client.get("/produk/kain-songket-lepus/").text
    assert (
        "https://wa.me/628127000111?text=Halo%2C%20saya%20tertarik%20dengan%20"
        "Kain%20Songket%20Lepus%3A%20https%3A//karyabinaan.id/produk/kain-songket-lepus/"
    ) in text


def test_whatsapp_message_carries_the_name_as_written(client, songket):
    # Not HTML-escaped before it is URL-encoded: the chat shows "&", not "&amp;".
    songket.name = "Tas & Dompet Rajut"
    songket.save()
    text = client.get("/produk/kain-songket-lepus/").text
    assert "tertarik%20dengan%20Tas%20%26%20Dompet%20Rajut%3A" in text
    assert "%26amp%3B" not in text


def test_food_details_are_shown_when_present(client, db):
    product = ProductFactory(
        name="Pempek Lenjer",
        food_registration="P-IRT 2061671010123-27",
        halal_certificate="ID16110000123450123",
        shelf_life_days=3,
        local_only=True,
    )
    text = client.get(product.get_absolute_url()).text
    assert "P-IRT 2061671010123-27" in text
    assert "ID16110000123450123" in text
    assert "3 hari" in text
    assert "tidak dikirim lewat kurir" in text


def test_made_to_order_shows_lead_time(client, db):
    product = ProductFactory(made_to_order=True, lead_time_days=14, stock=0)
    response = client.get(product.get_absolute_url())
    assert "Dibuat sesuai pesanan" in response.text and "dikerjakan 14 hari" in response.text
    offer = json_ld(response)["offers"]
    assert offer["availability"] == "https://schema.org/MadeToOrder"


def test_out_of_stock_has_no_cart_form(client, db):
    product = ProductFactory(stock=1, min_order_quantity=5)
    response = client.get(product.get_absolute_url())
    assert "Stok habis" in response.text
    assert 'class="add-to-cart"' not in response.text
    assert json_ld(response)["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_json_ld_product_is_valid(client, songket, settings):
    settings.SITE_URL = "https://karyabinaan.id"
    data = json_ld(client.get("/produk/kain-songket-lepus/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Product"
    assert data["name"] == "Kain Songket Lepus"
    assert data["description"] == "Songket tenun tangan motif lepus."  # tags stripped
    assert data["brand"] == {"@type": "Brand", "name": "Lapas Perempuan Palembang"}
    assert data["url"] == "https://karyabinaan.id/produk/kain-songket-lepus/"
    assert len(data["image"]) == 2
    assert all(url.startswith("https://karyabinaan.id/media/") for url in data["image"])
    offer = data["offers"]
    assert offer["@type"] == "Offer"
    assert offer["price"] == "1250000"
    assert offer["priceCurrency"] == "IDR"
    assert offer["availability"] == "https://schema.org/InStock"


def test_json_ld_cannot_be_broken_out_of(client, db):
    product = ProductFactory(name="Tas </script><script>alert(1)</script>")
    response = client.get(product.get_absolute_url())
    assert "<script>alert(1)" not in response.text
    assert json_ld(response)["name"] == "Tas </script><script>alert(1)</script>"


def test_share_tags_canonical_open_graph_and_twitter(client, songket, settings):
    settings.SITE_URL = "https://karyabinaan.id"
    text = client.get("/produk/kain-songket-lepus/").text
    assert '<link rel="canonical" href="https://karyabinaan.id/produk/kain-songket-lepus/">' in text
    assert '<meta property="og:title" content="Kain Songket Lepus">' in text
    assert re.search(
        r'<meta property="og:image" content="https://karyabinaan.id/media/[^"]+\.jpg">', text
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in text
    assert '<meta property="product:price:currency" content="IDR">' in text


def test_related_products_exclude_itself_and_hidden_ones(client, songket):
    same_category = ProductFactory(name="Songket Tawur", category=songket.category)
    same_facility = ProductFactory(name="Mukena Bordir", facility=songket.facility)
    ProductFactory(name="Songket Draf", category=songket.category, status=ListingStatus.DRAFT)
    ProductFactory(name="Lain Sama Sekali", category=CategoryFactory())
    text = client.get("/produk/kain-songket-lepus/").text
    related = text.split('class="related"')[1]
    assert related.index(same_category.name) < related.index(same_facility.name)
    assert "Songket Draf" not in related and "Lain Sama Sekali" not in related
    assert 'href="/produk/kain-songket-lepus/"' not in related


@pytest.mark.parametrize(
    "status",
    [
        ListingStatus.DRAFT,
        ListingStatus.PENDING_REVIEW,
        ListingStatus.CHANGES_REQUESTED,
        ListingStatus.REJECTED,
        ListingStatus.ARCHIVED,
    ],
)
def test_non_public_status_is_404_to_the_public(client, db, status):
    product = ProductFactory(status=status)
    assert client.get(product.get_absolute_url()).status_code == 404
    assert product.name not in client.get("/produk/").text
    assert product.name not in client.get(product.facility.get_absolute_url()).text
    assert product.name not in client.get(product.category.get_absolute_url()).text


def test_product_of_inactive_facility_is_404(client, db):
    product = ProductFactory(facility=FacilityFactory(is_active=False))
    assert client.get(product.get_absolute_url()).status_code == 404
    assert product.name not in client.get("/produk/").text


def test_unknown_product_is_404(client, db):
    assert client.get("/produk/tidak-ada/").status_code == 404


def test_staff_of_the_facility_see_a_preview_banner(client, db):
    product = ProductFactory(status=ListingStatus.PENDING_REVIEW)
    client.force_login(facility_staff(product.facility))
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert "Pratinjau" in response.text and "Menunggu tinjauan" in response.text
    assert response["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    # Nothing to buy, nothing for search engines in a preview.
    assert 'class="add-to-cart"' not in response.text
    assert "application/ld+json" not in response.text


def test_staff_of_another_facility_get_404(client, db, other_facility):
    product = ProductFactory(status=ListingStatus.DRAFT)
    client.force_login(facility_staff(other_facility))
    assert client.get(product.get_absolute_url()).status_code == 404


def test_reviewer_sees_their_region_only(client, db, other_facility):
    product = ProductFactory(status=ListingStatus.PENDING_REVIEW)
    client.force_login(regional_reviewer(product.facility.region))
    assert client.get(product.get_absolute_url()).status_code == 200
    client.force_login(regional_reviewer(other_facility.region))
    assert client.get(product.get_absolute_url()).status_code == 404


def test_head_office_previews_inactive_facility_products(client, db):
    product = ProductFactory(facility=FacilityFactory(is_active=False))
    client.force_login(head_office_user())
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert "UPT ini sedang tidak aktif." in response.text


def test_public_product_has_no_preview_banner_for_staff(client, songket):
    client.force_login(facility_staff(songket.facility))
    response = client.get(songket.get_absolute_url())
    assert "Pratinjau" not in response.text


def test_product_page_in_english(client, songket):
    songket.category.name_en = "Woven Cloth"
    songket.category.save()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(songket.get_absolute_url())
    assert '<html lang="en">' in response.text
    assert "Woven Cloth" in response.text
    assert "Rp 1.250.000" in response.text
