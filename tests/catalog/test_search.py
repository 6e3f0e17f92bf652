"""Storefront search: full text (indonesian) first, trigram names as fallback."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Product
from catalog.search import clean_query, fulltext_search, refresh_search_vectors, suggest_query
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.factories import FacilityFactory, RegionFactory


def names(response) -> list[str]:
    return re.findall(r'<h3><a href="/produk/[^"]+/">([^<]+)</a></h3>', response.text)


@pytest.fixture
def goods(db):
    palembang = FacilityFactory(
        region=RegionFactory(province="Sumatera Selatan"),
        name="Lapas Perempuan Palembang",
        slug="lapas-perempuan-palembang",
        city="Palembang",
    )
    bangka = FacilityFactory(
        region=RegionFactory(province="Kepulauan Bangka Belitung"),
        name="Rutan Pangkalpinang",
        slug="rutan-pangkalpinang",
        city="Pangkalpinang",
    )
    crafts = CategoryFactory(name_id="Kerajinan", name_en="Crafts", slug="kerajinan")
    food = CategoryFactory(name_id="Makanan", name_en="Food", slug="makanan")
    products = [
        ProductFactory(
            name="Tas Rajut Biru",
            description="Tas tangan dari benang katun.",
            facility=palembang,
            category=crafts,
            price=150_000,
        ),
        ProductFactory(
            name="Kain Songket Palembang",
            description="Songket tenun tangan motif lepus.",
            facility=palembang,
            category=crafts,
            price=2_500_000,
        ),
        ProductFactory(
            name="Pempek Kapal Selam",
            description="Pempek ikan tenggiri dengan cuko.",
            facility=palembang,
            category=food,
            price=60_000,
        ),
        ProductFactory(
            name="Perangkap Tikus",
            description="Perangkap kawat, bisa dipakai berulang.",
            facility=bangka,
            category=crafts,
            price=45_000,
        ),
        ProductFactory(
            name="Dompet Kulit",
            description="Dompet dengan hiasan rajut di sisi.",
            facility=bangka,
            category=crafts,
            price=90_000,
        ),
    ]
    refresh_search_vectors(product_ids=[p.pk for p in products])
    return {p.name: p for p in products}


def test_stemming_finds_the_root_word(client, goods):
    """'rajutan' stems to 'rajut', so 'Tas Rajut Biru' is found."""
    response = client.get("/produk/", {"q": "rajutan"})
    assert response.status_code == 200
    assert "Tas Rajut Biru" in names(response)
    assert "Mungkin maksud Anda" not in response.text


def test_full_text_ranks_name_matches_above_description_matches(client, goods):
    # "rajut" is in one name (weight A) and one description (weight D).
    assert names(client.get("/produk/", {"q": "rajut"})) == ["Tas Rajut Biru", "Dompet Kulit"]


def test_rank_is_computed_among_matches_only(goods):
    matched = fulltext_search(Product.objects.public(), "rajut")
    assert {p.name for p in matched} == {"Tas Rajut Biru", "Dompet Kulit"}
    assert all(p.rank > 0 for p in matched)
    assert "@@" in str(matched.query)


def test_search_covers_category_and_facility(client, goods):
    assert set(names(client.get("/produk/", {"q": "makanan"}))) == {"Pempek Kapal Selam"}
    assert set(names(client.get("/produk/", {"q": "pangkalpinang"}))) == {
        "Perangkap Tikus",
        "Dompet Kulit",
    }


def test_websearch_syntax_phrases_and_exclusion(client, goods):
    assert names(client.get("/produk/", {"q": '"kapal selam"'})) == ["Pempek Kapal Selam"]
    assert names(client.get("/produk/", {"q": "rajut -dompet"})) == ["Tas Rajut Biru"]


@pytest.mark.parametrize(
    ("typo", "found", "suggestion"),
    [("sonket", "Kain Songket Palembang", "songket"), ("pempeck", "Pempek Kapal Selam", "pempek")],
)
def test_misspelling_falls_back_to_similar_names_with_did_you_mean(
    client, goods, typo, found, suggestion
):
    response = client.get("/produk/", {"q": typo})
    assert response.status_code == 200
    assert names(response)[0] == found
    assert "Mungkin maksud Anda" in response.text
    assert f'<a href="?q={suggestion}">{suggestion}</a>' in response.text
    # The suggestion itself finds the product through full text.
    corrected = client.get("/produk/", {"q": suggestion})
    assert found in names(corrected)
    assert "Mungkin maksud Anda" not in corrected.text


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["Tas Anyaman Mendong", "Tas Anyaman Pandan", "Tas Anyaman Rotan"]),
        ("price_desc", ["Tas Anyaman Rotan", "Tas Anyaman Pandan", "Tas Anyaman Mendong"]),
        ("newest", ["Tas Anyaman Pandan", "Tas Anyaman Rotan", "Tas Anyaman Mendong"]),
    ],
)
def test_misspelt_search_keeps_the_chosen_sort(client, goods, sort, expected):
    """The fallback's own first sort key (catalog.search.trigram_search) is
    the same for every match, so the shopper's order is what shows."""
    crafts = goods["Tas Rajut Biru"].category
    now = timezone.now()
    made = [
        ProductFactory(
            name=name, category=crafts, price=price, approved_at=now - timedelta(days=age)
        )
        for name, price, age in [
            ("Tas Anyaman Pandan", 90_000, 1),
            ("Tas Anyaman Mendong", 40_000, 9),
            ("Tas Anyaman Rotan", 120_000, 5),
        ]
    ]
    refresh_search_vectors(product_ids=[p.pk for p in made])
    response = client.get("/produk/", {"q": "anyamn", "sort": sort})
    assert "Mungkin maksud Anda" in response.text  # the fallback answered
    assert names(response) == expected


def test_search_and_filters_combine(client, goods):
    response = client.get("/produk/", {"q": "rajut", "facility": "rutan-pangkalpinang"})
    assert names(response) == ["Dompet Kulit"]
    response = client.get("/produk/", {"q": "rajut", "price_min": "100000"})
    assert names(response) == ["Tas Rajut Biru"]
    # The fallback respects the filters too.
    response = client.get("/produk/", {"q": "sonket", "category": "makanan"})
    assert names(response) == []


def test_search_results_can_be_sorted_by_price(client, goods):
    response = client.get("/produk/", {"q": "rajut", "sort": "price_asc"})
    assert names(response) == ["Dompet Kulit", "Tas Rajut Biru"]


def test_search_is_relevance_sorted_by_default(client, goods):
    response = client.get("/produk/", {"q": "rajut"})
    assert '<option value="relevance" selected>' in response.text


def test_no_results_page_says_what_to_try(client, goods):
    response = client.get("/produk/", {"q": "xyzzy qwerty"})
    assert response.status_code == 200
    assert names(response) == []
    assert "Tidak ada produk untuk “xyzzy qwerty”." in response.text
    assert "periksa ejaan" in response.text
    assert 'href="/produk/"' in response.text


def test_non_public_products_are_never_found(client, goods):
    hidden = ProductFactory(name="Tas Rajut Merah", status="pending_review")
    refresh_search_vectors(product_ids=[hidden.pk])
    assert "Tas Rajut Merah" not in names(client.get("/produk/", {"q": "rajut"}))
    assert "Tas Rajut Merah" not in names(client.get("/produk/", {"q": "rajutt merah"}))


def test_search_inside_a_facility_storefront(client, goods):
    response = client.get("/upt/lapas-perempuan-palembang/", {"q": "rajut"})
    assert names(response) == ["Tas Rajut Biru"]


def test_odd_input_is_handled(client, goods):
    for query in ["   ", "&|!():*", "'; drop table", "a" * 500, "<script>"]:
        response = client.get("/produk/", {"q": query})
        assert response.status_code == 200
    assert "<script>" not in client.get("/produk/", {"q": "<script>"}).text.split("<main")[1]


def test_clean_query_collapses_and_caps():
    assert clean_query("  tas \n rajut  ") == "tas rajut"
    assert len(clean_query("x" * 500)) == 100
    assert clean_query(None) == ""


def test_suggest_query_rewrites_each_word():
    names_ = ["Kain Songket Palembang", "Pempek Kapal Selam"]
    assert suggest_query("sonket palembng", names_) == "songket palembang"
    assert suggest_query("songket", names_) == ""
    assert suggest_query("zzz", []) == ""
