"""/sitemap.xml and /robots.txt."""

import re

from catalog.models import ListingStatus
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.factories import FacilityFactory


def locs(response) -> set[str]:
    return set(re.findall(r"<loc>([^<]+)</loc>", response.content.decode()))


def test_sitemap_lists_public_products_facilities_and_categories(client, db, settings):
    settings.SITE_URL = "https://karyabinaan.id"
    parent = CategoryFactory(slug="fesyen")
    child = CategoryFactory(slug="songket", parent=parent)
    CategoryFactory(slug="kosong")  # nothing public in it
    hidden_category = CategoryFactory(slug="hanya-draf")
    public = ProductFactory(slug="kain-songket", category=child)
    ProductFactory(slug="draf", status=ListingStatus.DRAFT, category=hidden_category)
    ProductFactory(slug="diarsipkan", status=ListingStatus.ARCHIVED)
    closed = FacilityFactory(slug="lapas-tutup", is_active=False)
    ProductFactory(slug="dari-upt-tutup", facility=closed)

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    urls = locs(response)
    base = "https://karyabinaan.id"
    assert f"{base}/produk/kain-songket/" in urls
    assert f"{base}{public.facility.get_absolute_url()}" in urls
    assert f"{base}/kategori/songket/" in urls
    assert f"{base}/kategori/fesyen/" in urls  # its child has a public product
    for path in [
        "/produk/draf/",
        "/produk/diarsipkan/",
        "/produk/dari-upt-tutup/",
        "/upt/lapas-tutup/",
        "/kategori/kosong/",
        "/kategori/hanya-draf/",
    ]:
        assert f"{base}{path}" not in urls
    assert "<lastmod>" in response.content.decode()


def test_sitemap_ignores_the_host_header(client, db, settings):
    settings.SITE_URL = "https://karyabinaan.id"
    settings.ALLOWED_HOSTS = ["*"]
    ProductFactory(slug="tas")
    urls = locs(client.get("/sitemap.xml", HTTP_HOST="evil.example"))
    assert urls and all(url.startswith("https://karyabinaan.id/") for url in urls)


def test_robots_txt_points_to_the_sitemap(client, db, settings):
    settings.SITE_URL = "https://karyabinaan.id"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: https://karyabinaan.id/sitemap.xml" in text
