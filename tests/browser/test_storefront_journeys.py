"""Browsing journeys on a phone and a desktop: home, directory, catalog, product, language."""

import pytest

from catalog.models import ListingStatus
from tests.catalog.listing_factories import product_with_photo
from tests.factories import FacilityFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(media):
    """Two facilities in two regions, each selling one photographed product."""
    kendari = FacilityFactory(
        name="Lapas Kelas IIA Kendari",
        slug="lapas-kendari",
        region=RegionFactory(name="Kanwil Sulawesi Tenggara", slug="kanwil-sultra"),
    )
    palembang = FacilityFactory(
        name="Lapas Perempuan Kelas IIA Palembang",
        slug="lapas-perempuan-palembang",
        region=RegionFactory(name="Kanwil Sumatera Selatan", slug="kanwil-sumsel"),
    )
    miniature = product_with_photo(
        status=ListingStatus.APPROVED,
        facility=kendari,
        name="Miniatur Kapal Pinisi Kayu Jati",
        price=350_000,
    )
    songket = product_with_photo(
        status=ListingStatus.APPROVED,
        facility=palembang,
        name="Kain Songket Palembang",
        price=1_250_000,
    )
    return {"kendari": kendari, "palembang": palembang, "products": [miniature, songket]}


def open_menu(journey):
    """On a phone the header's links sit behind its menu button (issue 30)."""
    if journey.size == "phone":
        journey.page.get_by_role("link", name="Menu", exact=True).click()


def test_browse_home_directory_storefront_and_product(journey, shop):
    page = journey.page
    journey.visit("/", "home")
    assert "Karya Binaan" in page.title()

    open_menu(journey)
    page.get_by_role("link", name="UPT", exact=True).first.click()
    journey.check("directory")
    assert page.get_by_text("Lapas Kelas IIA Kendari").first.is_visible()

    page.get_by_role("link", name="Lapas Kelas IIA Kendari").first.click()
    journey.check("storefront")
    assert "/upt/lapas-kendari/" in page.url
    assert page.get_by_text("Miniatur Kapal Pinisi Kayu Jati").first.is_visible()

    page.get_by_role("link", name="Miniatur Kapal Pinisi Kayu Jati").first.click()
    journey.check("product page")
    assert page.locator("h1").inner_text() == "Miniatur Kapal Pinisi Kayu Jati"
    assert "Rp 350.000" in page.content()
    photo = page.locator("main img").first
    assert photo.evaluate("img => img.naturalWidth") > 0


def test_search_and_filter_the_catalog(journey, shop):
    page = journey.page
    journey.visit("/", "home")
    page.locator("#site-q").fill("songket")
    page.locator("#site-q").press("Enter")
    journey.check("search songket")
    assert "/produk/" in page.url and "q=songket" in page.url
    assert page.get_by_text("Kain Songket Palembang").first.is_visible()
    assert page.get_by_text("Miniatur Kapal Pinisi Kayu Jati").count() == 0

    # A quoted phrase and a hostile operator still answer with a page.
    journey.visit('/produk/?q="kapal pinisi" -songket OR', "search with operators")
    assert page.get_by_text("Miniatur Kapal Pinisi Kayu Jati").first.is_visible()

    journey.visit("/produk/?sort=price_desc", "sorted by price")
    names = page.locator(".product-card h3").all_inner_texts()
    assert names[:2] == ["Kain Songket Palembang", "Miniatur Kapal Pinisi Kayu Jati"]

    # The filter form, as a shopper uses it: open "Saring", pick the province,
    # apply (the facility list then narrows to it), pick the facility, apply.
    def apply_filter(name, label, step):
        filters = page.locator("form.catalog-filters")
        if filters.locator("details.filter-more").get_attribute("open") is None:
            filters.locator("summary").click()
        filters.locator(f"select[name={name}]").select_option(label=label)
        filters.get_by_role("button", name="Terapkan").click()
        page.wait_for_load_state("load")
        journey.check(step)

    apply_filter("province", shop["kendari"].province, "filtered by province")
    apply_filter("facility", "Lapas Kelas IIA Kendari", "filtered by facility")
    names = page.locator(".product-card h3").all_inner_texts()
    assert names == ["Miniatur Kapal Pinisi Kayu Jati"]
    assert "facility=lapas-kendari" in page.url


def test_language_switch_to_english_and_back(journey, shop):
    page = journey.page
    journey.visit("/upt/", "directory in Indonesian")
    assert page.locator("html").get_attribute("lang") == "id"
    open_menu(journey)
    # The button to switch is legible: its text is not painted in its background.
    english = page.get_by_role("button", name="EN")
    colours = english.evaluate(
        "b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
    )
    assert colours[0] != colours[1], colours

    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state("load")
    journey.check("directory in English")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/upt/")
    assert page.get_by_role("button", name="Search").is_visible()
    open_menu(journey)
    assert page.get_by_role("link", name="Track order").first.is_visible()
    # The navigation in English says what is behind each link (issue 30: "Product", "Facility").
    assert page.get_by_role("link", name="Products", exact=True).first.is_visible()
    assert page.get_by_role("link", name="Facilities", exact=True).first.is_visible()

    page.get_by_role("button", name="ID").click()
    page.wait_for_load_state("load")
    journey.check("directory back in Indonesian")
    assert page.locator("html").get_attribute("lang") == "id"
