"""The filter form's rendered HTML is cached per set of submitted filter values
(templates/partials/catalog_filters.html): each page still shows its own."""

import pytest
from django.test import Client

from tests.catalog.factories import ProductFactory
from tests.factories import FacilityFactory, RegionFactory


@pytest.fixture
def two_provinces(db):
    for province, slug in (
        ("Sumatera Selatan", "lapas-palembang"),
        ("Sulawesi Tenggara", "lapas-kendari"),
    ):
        facility = FacilityFactory(
            region=RegionFactory(province=province), slug=slug, province=province
        )
        ProductFactory(facility=facility)


def test_each_filter_choice_renders_its_own_form(client, two_provinces):
    south = client.get("/produk/", {"province": "Sumatera Selatan"}).text
    southeast = client.get("/produk/", {"province": "Sulawesi Tenggara"}).text
    assert '<option value="Sumatera Selatan" selected>' in south
    assert '<option value="Sulawesi Tenggara" selected>' in southeast
    assert '<option value="Sumatera Selatan" selected>' not in southeast
    # Facilities are listed for the chosen province only.
    assert 'value="lapas-palembang"' in south and 'value="lapas-kendari"' not in south


def test_an_error_shows_for_its_own_values_only(client, two_provinces):
    bad = client.get("/produk/", {"price_min": 500, "price_max": 100}).text
    assert "Harga maksimum harus sama dengan atau lebih besar" in bad
    good = Client().get("/produk/", {"price_min": 100, "price_max": 500}).text
    assert "Harga maksimum harus" not in good


def test_a_new_facility_appears_in_the_form_at_once(
    client, two_provinces, django_capture_on_commit_callbacks
):
    params = {"province": "Sumatera Selatan", "page": 1}
    assert 'value="lapas-perempuan-palembang"' not in client.get("/produk/", params).text
    with django_capture_on_commit_callbacks(execute=True):
        FacilityFactory(
            region=RegionFactory(province="Sumatera Selatan"),
            slug="lapas-perempuan-palembang",
            province="Sumatera Selatan",
        )
    # Another URL with the same filter values: a fresh page, a fresh form.
    params["page"] = 2
    assert 'value="lapas-perempuan-palembang"' in client.get("/produk/", params).text
