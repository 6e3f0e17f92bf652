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

    base = "https://karyabinaan.id"
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index["Content-Type"].startswith("application/xml")
    assert "<sitemapindex" in index.content.decode()
    sections = locs(index)
    assert sections == {
        f"{base}/sitemap-products.xml",
        f"{base}/sitemap-facilities.xml",
        f"{base}/sitemap-categories.xml",
    }
    urls = set()
    for section in sections:
        response = client.get(section.removeprefix(base))
        assert response.status_code == 200
        urls |= locs(response)
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
    products = client.get("/sitemap-products.xml").content.decode()
    assert "<lastmod>" in products


def test_sitemap_ignores_the_host_header(client, db, settings):
    settings.SITE_URL = "https://karyabinaan.id"
    settings.ALLOWED_HOSTS = ["*"]
    ProductFactory(slug="tas")
    for path in ["/sitemap.xml", "/sitemap-products.xml"]:
        urls = locs(client.get(path, HTTP_HOST="evil.example"))
        assert urls and all(url.startswith("https://karyabinaan.id/") for url in urls)


def test_big_sections_are_split_into_pages(client, db, settings, monkeypatch):
    from catalog.sitemaps import ProductSitemap

    settings.SITE_URL = "https://karyabinaan.id"
    monkeypatch.setattr(ProductSitemap, "limit", 2)
    for _ in range(5):
        ProductFactory()
    sections = locs(client.get("/sitemap.xml"))
    pages = sorted(url for url in sections if "products" in url)
    assert pages == [
        "https://karyabinaan.id/sitemap-products.xml",
        "https://karyabinaan.id/sitemap-products.xml?p=2",
        "https://karyabinaan.id/sitemap-products.xml?p=3",
    ]
    assert len(locs(client.get("/sitemap-products.xml", {"p": 3}))) == 1


def test_robots_txt_points_to_the_sitemap(client, db, settings):
    settings.SITE_URL = "https://karyabinaan.id"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text
    for private in ["/admin/", "/keranjang/", "/checkout/", "/pesanan/", "/lacak/"]:
        assert f"Disallow: {private}" in text
    assert "Sitemap: https://karyabinaan.id/sitemap.xml" in text
