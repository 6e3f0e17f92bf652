"""Catalog page (/produk/) and category pages: filters, sorting, pagination."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import ListingStatus
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.factories import FacilityFactory, RegionFactory


def names(response) -> list[str]:
    """Product names on a listing page, in page order."""
    return re.findall(r'<h3><a href="/produk/[^"]+/">([^<]+)</a></h3>', response.text)


@pytest.fixture
def shelf(db):
    """A small catalog across two provinces, kinds, categories and price points."""
    palembang = FacilityFactory(
        region=RegionFactory(province="Sumatera Selatan"),
        name="Lapas Perempuan Palembang",
        slug="lapas-perempuan-palembang",
        is_womens=True,
    )
    pangkalpinang = FacilityFactory(
        region=RegionFactory(province="Kepulauan Bangka Belitung"),
        name="Rutan Pangkalpinang",
        slug="rutan-pangkalpinang",
        kind="rutan",
    )
    fashion = CategoryFactory(name_id="Fesyen & Tekstil", slug="fesyen")
    songket = CategoryFactory(name_id="Songket", slug="songket", parent=fashion)
    home = CategoryFactory(name_id="Rumah Tangga", slug="rumah-tangga")
    now = timezone.now()
    products = {
        "songket": ProductFactory(
            name="Kain Songket",
            facility=palembang,
            category=songket,
            price=1_250_000,
            made_to_order=True,
            lead_time_days=30,
            stock=0,
            approved_at=now - timedelta(days=3),
        ),
        "mukena": ProductFactory(
            name="Mukena Bordir",
            facility=palembang,
            category=fashion,
            price=350_000,
            stock=5,
            approved_at=now - timedelta(days=1),
        ),
        "trap": ProductFactory(
            name="Perangkap Tikus",
            facility=pangkalpinang,
            category=home,
            price=45_000,
            stock=20,
            approved_at=now - timedelta(days=2),
        ),
        "doormat": ProductFactory(
            name="Keset Kaki",
            facility=pangkalpinang,
            category=home,
            price=60_000,
            stock=0,
            approved_at=now,
        ),
    }
    return products


def test_catalog_lists_public_products_newest_first(client, shelf):
    ProductFactory(name="Draf Tersembunyi", status=ListingStatus.DRAFT)
    response = client.get("/produk/")
    assert response.status_code == 200
    assert names(response) == ["Keset Kaki", "Mukena Bordir", "Perangkap Tikus", "Kain Songket"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # A top-level category includes its children.
        ({"category": "fesyen"}, {"Kain Songket", "Mukena Bordir"}),
        ({"category": "songket"}, {"Kain Songket"}),
        ({"facility": "rutan-pangkalpinang"}, {"Perangkap Tikus", "Keset Kaki"}),
        ({"province": "Sumatera Selatan"}, {"Kain Songket", "Mukena Bordir"}),
        ({"kind": "rutan"}, {"Perangkap Tikus", "Keset Kaki"}),
        ({"womens": "on"}, {"Kain Songket", "Mukena Bordir"}),
        ({"price_min": "50000"}, {"Kain Songket", "Mukena Bordir", "Keset Kaki"}),
        ({"price_max": "350000"}, {"Mukena Bordir", "Perangkap Tikus", "Keset Kaki"}),
        ({"price_min": "50000", "price_max": "400000"}, {"Mukena Bordir", "Keset Kaki"}),
        # Ready stock means enough stock for the minimum order; out of stock is neither.
        ({"availability": "ready"}, {"Mukena Bordir", "Perangkap Tikus"}),
        ({"availability": "order"}, {"Kain Songket"}),
    ],
)
def test_each_filter_alone(client, shelf, params, expected):
    response = client.get("/produk/", params)
    assert response.status_code == 200
    assert set(names(response)) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["Keset Kaki", "Mukena Bordir", "Perangkap Tikus", "Kain Songket"]),
        ("price_asc", ["Perangkap Tikus", "Keset Kaki", "Mukena Bordir", "Kain Songket"]),
        ("price_desc", ["Kain Songket", "Mukena Bordir", "Keset Kaki", "Perangkap Tikus"]),
        # Relevance without a query falls back to newest.
        ("relevance", ["Keset Kaki", "Mukena Bordir", "Perangkap Tikus", "Kain Songket"]),
    ],
)
def test_each_sort_order(client, shelf, sort, expected):
    assert names(client.get("/produk/", {"sort": sort})) == expected


def test_filters_and_sorting_combine(client, shelf):
    response = client.get(
        "/produk/",
        {"kind": "lapas", "womens": "on", "price_max": "2000000", "sort": "price_asc"},
    )
    assert names(response) == ["Mukena Bordir", "Kain Songket"]
    response = client.get(
        "/produk/", {"province": "Kepulauan Bangka Belitung", "availability": "ready"}
    )
    assert names(response) == ["Perangkap Tikus"]


def test_unticked_womens_box_does_not_hide_womens_facilities(client, shelf):
    assert len(names(client.get("/produk/", {"womens": ""}))) == 4


def test_filter_state_is_in_the_form_and_pagination_links(client, shelf):
    response = client.get(
        "/produk/", {"category": "fesyen", "sort": "price_desc", "per_page": "12"}
    )
    text = response.text
    assert '<option value="fesyen" selected>' in text
    assert '<option value="price_desc" selected>' in text
    assert 'method="get"' in text


def test_facility_select_lists_the_chosen_provinces_facilities(client, shelf):
    text = client.get("/produk/").text
    assert 'value="rutan-pangkalpinang"' not in text
    assert "Pilih provinsi dulu untuk memilih UPT." in text
    text = client.get("/produk/", {"province": "Kepulauan Bangka Belitung"}).text
    assert 'value="rutan-pangkalpinang"' in text
    assert 'value="lapas-perempuan-palembang"' not in text
    # A facility chosen from a shared link stays selected without a province.
    text = client.get("/produk/", {"facility": "lapas-perempuan-palembang"}).text
    assert '<option value="lapas-perempuan-palembang" selected>' in text


def test_pagination_keeps_filters_and_sort(client, db):
    category = CategoryFactory(slug="kerajinan")
    for i in range(14):
        ProductFactory(name=f"Miniatur {i:02d}", category=category, price=10_000 + i)
    response = client.get(
        "/produk/", {"category": "kerajinan", "sort": "price_asc", "per_page": "12"}
    )
    assert names(response) == [f"Miniatur {i:02d}" for i in range(12)]
    assert "Halaman 1 dari 2" in response.text
    next_link = re.search(r'<a rel="next" href="([^"]+)"', response.text).group(1)
    assert "category=kerajinan" in next_link and "sort=price_asc" in next_link
    page_two = client.get("/produk/" + next_link.replace("&amp;", "&"))
    assert names(page_two) == ["Miniatur 12", "Miniatur 13"]


def test_out_of_range_page_shows_the_last_page(client, shelf):
    response = client.get("/produk/", {"page": "99"})
    assert response.status_code == 200
    assert len(names(response)) == 4


def test_bad_price_input_gets_a_clear_message(client, shelf):
    response = client.get("/produk/", {"price_min": "500000", "price_max": "1000"})
    assert response.status_code == 200
    assert "Harga maksimum harus sama dengan atau lebih besar dari harga minimum." in response.text
    response = client.get("/produk/", {"price_min": "murah"})
    assert response.status_code == 200
    assert "Masukkan keseluruhan angka bilangan." in response.text
    # The invalid field is ignored; the rest of the page still works.
    assert len(names(response)) == 4


def test_unknown_choice_is_refused_with_a_message_not_an_error(client, shelf):
    response = client.get("/produk/", {"category": "tidak-ada", "per_page": "1000"})
    assert response.status_code == 200
    assert "tidak-ada bukan salah satu dari pilihan yang tersedia" in response.text
    assert "1000 bukan salah satu dari pilihan yang tersedia" in response.text
    assert len(names(response)) == 4


def test_empty_results_say_what_to_try(client, shelf):
    response = client.get("/produk/", {"price_min": "5000000"})
    assert names(response) == []
    assert "Belum ada produk untuk pilihan ini." in response.text
    assert "hapus sebagian filter" in response.text


def test_category_page_lists_the_category_and_its_children(client, shelf):
    response = client.get("/kategori/fesyen/")
    assert response.status_code == 200
    assert set(names(response)) == {"Kain Songket", "Mukena Bordir"}
    assert 'href="/kategori/songket/"' in response.text  # a chip to the child
    child = client.get("/kategori/songket/")
    assert names(child) == ["Kain Songket"]
    assert 'href="/kategori/fesyen/"' in child.text  # breadcrumb to the parent


def test_category_page_filters_and_sorts(client, shelf):
    response = client.get("/kategori/fesyen/", {"sort": "price_asc", "availability": "ready"})
    assert names(response) == ["Mukena Bordir"]


def test_unknown_category_is_404(client, db):
    assert client.get("/kategori/tidak-ada/").status_code == 404


def test_prices_are_shown_in_rupiah(client, shelf):
    text = client.get("/produk/").text
    assert "Rp 1.250.000" in text
    assert "Rp 45.000" in text


def test_catalog_in_english_after_switching_language(client, shelf):
    shelf["mukena"].category.name_en = "Fashion & Textiles"
    shelf["mukena"].category.save()
    client.post("/i18n/setlang/", {"language": "en", "next": "/produk/"})
    response = client.get("/produk/")
    assert '<html lang="en">' in response.text
    assert "Fashion &amp; Textiles" in response.text
    client.post("/i18n/setlang/", {"language": "id", "next": "/produk/"})
    response = client.get("/produk/")
    assert '<html lang="id">' in response.text
    assert "Fesyen &amp; Tekstil" in response.text


def test_only_the_first_card_photo_loads_eagerly(client, db):
    from tests.catalog.factories import ProductImageFactory

    for _ in range(3):
        ProductImageFactory()
    text = client.get("/produk/").text
    assert text.count('loading="lazy"') == 2
    assert text.count('fetchpriority="high"') == 1
    assert text.count('type="image/webp"') == 3
    assert re.search(r'<img [^>]*width="640" height="480"', text)
