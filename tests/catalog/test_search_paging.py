"""Common search words: the count stops at a cap, the page is ranked by id first."""

import re

import pytest

from catalog import paging
from catalog.search import refresh_search_vectors
from tests.catalog.factories import ProductFactory, ProductImageFactory


def names(response) -> list[str]:
    return re.findall(r'<h3><a href="/produk/[^"]+/">([^<]+)</a></h3>', response.text)


@pytest.fixture
def wooden(db):
    """Seven products with "kayu": two in the name (ranked first), five in the
    description only."""
    for i in range(5):
        ProductFactory(name=f"Nampan Anyaman {i}", description="Bingkai dari kayu mahoni.")
    ProductFactory(name="Miniatur Kapal Kayu Jati", description="Ukiran tangan.")
    ProductFactory(name="Kursi Kayu Lipat", description="Kursi taman.")
    ProductFactory(name="Tas Rajut", description="Benang katun.")
    refresh_search_vectors()


def test_a_word_with_more_matches_than_the_cap_says_more_than(client, wooden, monkeypatch):
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", 5)
    response = client.get("/produk/", {"q": "kayu", "per_page": 12})
    assert "Lebih dari 5 produk" in response.text
    shown = names(response)
    # The newest five matches, names with the word first; the two oldest
    # description-only matches are past the cap.
    assert len(shown) == 5
    assert set(shown[:2]) == {"Miniatur Kapal Kayu Jati", "Kursi Kayu Lipat"}
    assert "Nampan Anyaman 0" not in shown and "Nampan Anyaman 1" not in shown


def test_past_the_cap_other_sorts_still_see_every_match(client, wooden, monkeypatch):
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", 5)
    response = client.get("/produk/", {"q": "kayu", "per_page": 12, "sort": "newest"})
    assert len(names(response)) == 7


def test_under_the_cap_the_exact_count_shows(client, wooden):
    response = client.get("/produk/", {"q": "kayu"})
    assert "7 produk" in response.text and "Lebih dari" not in response.text
    assert len(names(response)) == 7


def test_ranked_pages_past_the_cap_neither_repeat_nor_skip(client, db, monkeypatch):
    for i in range(30):
        ProductFactory(name=f"Rak Kayu {i}", description="Rak dinding.")
    refresh_search_vectors()
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", 20)
    first = names(client.get("/produk/", {"q": "kayu", "per_page": 12}))
    second = names(client.get("/produk/", {"q": "kayu", "per_page": 12, "page": 2}))
    assert len(first) == 12 and len(second) == 8
    # The twenty newest, each once.
    assert set(first) | set(second) == {f"Rak Kayu {i}" for i in range(10, 30)}


def test_the_page_keeps_its_photos_and_order_at_12_and_48(
    client, wooden, django_assert_max_num_queries
):
    from catalog.models import Product

    for product in Product.objects.all():
        ProductImageFactory(product=product)
    client.get("/produk/", {"q": "tas"})  # warm the filter lists
    for per_page in (12, 48):
        with django_assert_max_num_queries(6):
            response = client.get("/produk/", {"q": "kayu", "per_page": per_page})
        assert response.text.count("<picture") == 7
