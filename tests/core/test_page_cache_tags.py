"""Invalidation by what changed (core/page_cache.py, catalog/page_tags.py):
a write retires the pages that show the row, and no others; every model of
the project's apps is registered as public or private."""

from django.test import Client

from catalog.services import product_update
from tests.catalog.factories import CategoryFactory, ProductFactory, ProductImageFactory
from tests.factories import FacilityFactory, PartnerOutletFactory


def _cached(path: str) -> str:
    return Client().get(path)["X-Page-Cache"]


def _warm(*paths: str) -> None:
    for path in paths:
        Client().get(path)
        assert _cached(path) == "hit", path


def _two_products(db):
    a = ProductFactory(name="Kursi Jati", slug="kursi-jati")
    b = ProductFactory(name="Tas Rajut", slug="tas-rajut")  # other category and facility
    ProductImageFactory(product=a)
    ProductImageFactory(product=b)
    return a, b


def test_saving_product_a_leaves_product_b_page_and_listings_of_b_alone(db):
    a, b = _two_products(db)
    b_pages = [
        b.get_absolute_url(),
        f"/produk/?category={b.category.slug}",
        f"/kategori/{b.category.slug}/",
        b.facility.get_absolute_url(),
        f"/produk/?facility={b.facility.slug}",
    ]
    _warm(a.get_absolute_url(), *b_pages)
    product_update(product=a, actor=None, stock=3, price=99_000)
    assert _cached(a.get_absolute_url()) == "miss"
    for path in b_pages:
        assert _cached(path) == "hit", path


def test_saving_product_a_retires_the_listings_that_could_show_it(db):
    a, _b = _two_products(db)
    a_listings = [
        "/produk/",
        "/produk/?q=kursi",
        f"/produk/?category={a.category.slug}",
        f"/produk/?province={a.facility.province}",
        f"/produk/?category={a.category.slug}&province={a.facility.province}",
        f"/kategori/{a.category.slug}/",
        a.facility.get_absolute_url(),
        "/",  # says nothing about what it shows: every write retires it
    ]
    _warm(*a_listings)
    product_update(product=a, actor=None, price=99_000)
    for path in a_listings:
        response = Client().get(path)
        assert response["X-Page-Cache"] == "miss", path


def test_the_new_price_shows_on_listings_right_after_the_save(db):
    a, _b = _two_products(db)
    path = f"/produk/?category={a.category.slug}"
    _warm(path)
    product_update(product=a, actor=None, price=77_000)
    assert "Rp 77.000" in Client().get(path).text


def test_a_product_in_a_subcategory_retires_its_parent_category_listing(db):
    parent = CategoryFactory(slug="kerajinan-uji")
    child = CategoryFactory(slug="anyaman-uji", parent=parent)
    product = ProductFactory(category=child)
    path = f"/produk/?category={parent.slug}"
    _warm(path, f"/kategori/{parent.slug}/")
    product_update(product=product, actor=None, stock=1)
    assert _cached(path) == "miss"
    assert _cached(f"/kategori/{parent.slug}/") == "miss"


def test_moving_a_product_retires_listings_of_its_old_and_new_category(db):
    a, b = _two_products(db)
    old, new = f"/produk/?category={a.category.slug}", f"/produk/?category={b.category.slug}"
    _warm(old, new)
    product_update(product=a, actor=None, category=b.category)
    assert _cached(old) == "miss"
    assert _cached(new) == "miss"


def test_an_unknown_category_in_the_url_lists_everything_and_is_retired_by_any_save(db):
    a, _b = _two_products(db)
    path = "/produk/?category=tidak-ada"
    _warm(path)
    product_update(product=a, actor=None, stock=2)
    assert _cached(path) == "miss"


def test_a_related_product_save_retires_the_page_showing_its_card(db):
    facility = FacilityFactory()
    category = CategoryFactory()
    a = ProductFactory(facility=facility, category=category, slug="a-satu")
    b = ProductFactory(facility=facility, category=category, slug="b-dua")
    _warm(a.get_absolute_url())
    product_update(product=b, actor=None, price=55_000)
    page = Client().get(a.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "Rp 55.000" in page.text


def test_a_partner_outlet_save_retires_its_facility_pages_only(db):
    a, b = _two_products(db)
    _warm(a.facility.get_absolute_url(), a.get_absolute_url(), b.get_absolute_url())
    PartnerOutletFactory(facility=a.facility)
    assert _cached(a.facility.get_absolute_url()) == "miss"
    assert _cached(a.get_absolute_url()) == "miss"
    assert _cached(b.get_absolute_url()) == "hit"


def test_a_facility_save_retires_everything(db):
    a, b = _two_products(db)
    _warm(b.get_absolute_url(), "/produk/")
    a.facility.about = "Baru."
    a.facility.save()
    assert _cached(b.get_absolute_url()) == "miss"
    assert _cached("/produk/") == "miss"


def test_a_product_image_save_retires_the_product_and_its_listings(db):
    a, b = _two_products(db)
    _warm(a.get_absolute_url(), f"/produk/?category={a.category.slug}", b.get_absolute_url())
    ProductImageFactory(product=a, position=5)
    assert _cached(a.get_absolute_url()) == "miss"
    assert _cached(f"/produk/?category={a.category.slug}") == "miss"
    assert _cached(b.get_absolute_url()) == "hit"


def test_every_model_of_the_project_is_registered_with_the_page_cache():
    from core.page_registry import check_models_registered

    assert check_models_registered() == []


def test_an_unregistered_model_is_caught_by_the_system_check(monkeypatch):
    from core import page_registry

    monkeypatch.setattr(page_registry, "_PUBLIC", {})
    monkeypatch.setattr(page_registry, "_PUBLIC_M2M", {})
    errors = page_registry.check_models_registered()
    labels = {e.obj._meta.label_lower for e in errors}
    assert {"catalog.product", "facilities.facility"} <= labels
    assert all(e.id == "page_cache.E001" for e in errors)
