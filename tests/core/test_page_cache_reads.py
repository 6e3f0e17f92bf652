"""Fewer cache calls per built page (core/page_cache.py): each tag version is
read once per build, and the filter form's shared lists are kept per process
under their generation. Neither may let a changed row go unseen."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from catalog.services import product_update
from core import page_cache
from tests.catalog.factories import CategoryFactory, ProductFactory, ProductImageFactory
from tests.factories import FacilityFactory


def test_outside_a_build_every_call_reads_the_cache(db):
    first = page_cache.tag_versions(["product:a"])
    page_cache.retire("product:a")
    assert page_cache.tag_versions(["product:a"]) != first


def test_within_a_build_a_tag_is_read_once_and_keeps_its_version(db):
    token = page_cache.build_reads.set({})
    try:
        first = page_cache.tag_versions(["product:a", page_cache.GLOBAL])
        page_cache._retire_now(frozenset({"product:a"}))  # a write meanwhile
        assert page_cache.tag_versions(["product:a"]) == {"product:a": first["product:a"]}
    finally:
        page_cache.build_reads.reset(token)
    # The next build (or a freshness check) sees the write.
    assert page_cache.tag_versions(["product:a"]) != {"product:a": first["product:a"]}


def test_a_write_during_a_build_still_retires_the_page_being_built(db, monkeypatch):
    product = ProductFactory(name="Kursi Jati", slug="kursi-jati")
    ProductImageFactory(product=product)
    from catalog import views

    real = views.product_for_page

    def save_while_building(**kwargs):
        result = real(**kwargs)
        product_update(product=product, actor=None, price=77_000)
        return result

    monkeypatch.setattr(views, "product_for_page", save_while_building)
    assert Client().get(product.get_absolute_url())["X-Page-Cache"] == "miss"
    monkeypatch.setattr(views, "product_for_page", real)
    response = Client().get(product.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"  # built again, not the copy from before the save
    assert "77.000" in response.content.decode()


@pytest.mark.parametrize("change", ["category", "facility"])
def test_filter_lists_kept_per_process_show_a_new_row_at_once(db, change):
    ProductFactory(name="Kursi Jati")
    Client().get("/produk/?sort=newest")  # the lists are now held by this process
    if change == "category":
        CategoryFactory(name_id="Gerabah Baru", slug="gerabah-baru")
        expected = "Gerabah Baru"
    else:
        FacilityFactory(name="Lapas Baru Sekali", province="Bali")
        expected = "Bali"
    body = Client().get("/produk/?sort=price_asc").content.decode()
    assert expected in body


def test_a_built_catalog_page_reads_the_filter_lists_without_the_shared_cache(db, monkeypatch):
    ProductFactory(name="Kursi Jati")
    Client().get("/produk/?q=kursi")  # lists read once by this process
    keys: list[str] = []
    real_get = cache.get

    def get(key, *args, **kwargs):
        keys.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "get", get, raising=False)
    assert Client().get("/produk/?q=jati")["X-Page-Cache"] == "miss"
    assert not [key for key in keys if str(key).startswith("kb:data:")]


def test_the_category_choices_kept_per_process_follow_the_language(db):
    ProductFactory(name="Kursi Jati")
    CategoryFactory(name_id="Gerabah", name_en="Pottery", slug="gerabah")
    indonesian = Client().get("/produk/?sort=newest").content.decode()
    english_client = Client()
    english_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_client.get("/produk/?sort=newest").content.decode()
    again = Client().get("/produk/?sort=price_asc").content.decode()
    assert '<option value="gerabah">Gerabah</option>' in indonesian
    assert '<option value="gerabah">Pottery</option>' in english
    assert '<option value="gerabah">Gerabah</option>' in again


def _count_cache_calls(monkeypatch) -> list[str]:
    """The cache calls made (not those a backend makes inside one: the
    local-memory cache's get_many calls its own get)."""
    calls: list[str] = []
    depth = [0]
    for name in ("get", "get_many", "add", "set", "set_many", "delete"):
        real = getattr(cache, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            if not depth[0]:
                calls.append(_name)
            depth[0] += 1
            try:
                return _real(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(page_cache.cache, name, counted, raising=False)
    return calls


@pytest.mark.parametrize(
    "url", ["/produk/?province=Bali", "/kategori/gerabah/", "/upt/lapas-bali/?q=kursi"]
)
def test_a_listing_served_from_the_cache_costs_one_cache_call(db, monkeypatch, url):
    """The page and the versions of its listing tags come in one call (the
    view names them from the request: public_page(tags=...))."""
    facility = FacilityFactory(slug="lapas-bali", province="Bali")
    category = CategoryFactory(slug="gerabah")
    product = ProductFactory(name="Kursi Jati", facility=facility, category=category)
    assert Client().get(url)["X-Page-Cache"] == "miss"
    calls = _count_cache_calls(monkeypatch)
    assert Client().get(url)["X-Page-Cache"] == "hit"
    assert calls == ["get_many"], calls
    monkeypatch.undo()
    # Those tags still retire the page: a save in its scope is seen at once.
    product_update(product=product, actor=None, price=77_000)
    response = Client().get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "77.000" in response.content.decode()


def test_a_built_product_page_reads_its_own_tag_with_the_stored_page(db, monkeypatch):
    """Budget of a product page built in steady state (the related list and
    cards stored): the stored page with the product's tag, the related list
    with the facility's and the related products' tags, the cards, the
    page stored: four calls (the product's tag cost a fifth before)."""
    facility = FacilityFactory()
    category = CategoryFactory()
    products = [ProductFactory(facility=facility, category=category) for _ in range(7)]
    for product in products[:2]:  # the related list and the cards stored
        assert Client().get(product.get_absolute_url())["X-Page-Cache"] == "miss"
    calls = _count_cache_calls(monkeypatch)
    assert Client().get(products[2].get_absolute_url())["X-Page-Cache"] == "miss"
    assert calls == ["get_many", "get_many", "get_many", "set"], calls
