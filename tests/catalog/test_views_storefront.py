"""Facility storefront (/upt/<slug>/) and the home page."""

import re

from catalog.models import ListingStatus
from tests.catalog.factories import CategoryFactory, ProductFactory


def names(response) -> list[str]:
    return re.findall(r'<h3><a href="/produk/[^"]+/">([^<]+)</a></h3>', response.text)


def test_storefront_lists_only_its_own_public_products(client, facility, other_facility):
    ProductFactory(facility=facility, name="Miniatur Kapal Jati", price=350_000)
    ProductFactory(facility=facility, name="Draf Rahasia", status=ListingStatus.DRAFT)
    ProductFactory(facility=other_facility, name="Keset Kaki")
    response = client.get(facility.get_absolute_url())
    assert response.status_code == 200
    assert names(response) == ["Miniatur Kapal Jati"]
    assert "Rp 350.000" in response.text
    assert (
        f'<link rel="canonical" href="http://127.0.0.1:8000/upt/{facility.slug}/">' in response.text
    )


def test_storefront_filters_and_sorts(client, facility):
    food = CategoryFactory(slug="makanan")
    ProductFactory(facility=facility, name="Pempek", category=food, price=60_000)
    ProductFactory(facility=facility, name="Kerupuk", category=food, price=20_000)
    ProductFactory(facility=facility, name="Tas Rajut", price=150_000)
    response = client.get(facility.get_absolute_url(), {"category": "makanan", "sort": "price_asc"})
    assert names(response) == ["Kerupuk", "Pempek"]
    # Facility-level filters make no sense on one facility's page.
    assert 'name="facility"' not in response.text and 'name="province"' not in response.text


def test_storefront_without_products_says_what_to_try(client, facility):
    response = client.get(facility.get_absolute_url())
    assert "Belum ada produk untuk pilihan ini." in response.text


def test_home_shows_categories_featured_newest_and_facilities(client, facility):
    CategoryFactory(name_id="Kerajinan", slug="kerajinan")
    ProductFactory(facility=facility, name="Songket Unggulan", is_featured=True)
    ProductFactory(facility=facility, name="Tas Baru")
    ProductFactory(facility=facility, name="Tas Draf", status=ListingStatus.DRAFT)
    response = client.get("/")
    text = response.text
    assert response.status_code == 200
    assert 'href="/kategori/kerajinan/"' in text
    featured = text.split("Produk unggulan")[1].split("Baru disetujui")[0]
    assert "Songket Unggulan" in featured and "Tas Baru" not in featured
    newest = text.split("Baru disetujui")[1]
    assert "Tas Baru" in newest and "Tas Draf" not in text
    assert facility.name in text
    assert "Tentang program ini" in text


def test_home_before_any_approval(client, facility):
    response = client.get("/")
    assert response.status_code == 200
    assert "Produk pertama sedang ditinjau Kanwil." in response.text


def test_home_and_storefront_in_english(client, facility):
    CategoryFactory(name_id="Kerajinan", name_en="Crafts", slug="kerajinan")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in ["/", facility.get_absolute_url()]:
        response = client.get(url)
        assert '<html lang="en">' in response.text
    assert "Crafts" in client.get("/").text
