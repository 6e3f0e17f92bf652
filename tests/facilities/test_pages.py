import pytest

from tests.factories import FacilityFactory, RegionFactory


@pytest.fixture
def many_facilities(db):
    def make(count):
        region = RegionFactory(province="Sulawesi Tenggara")
        return FacilityFactory.create_batch(count, region=region)

    return make


@pytest.mark.parametrize("count", [3, 30])
def test_directory_query_budget_does_not_grow(
    client, many_facilities, count, django_assert_max_num_queries
):
    many_facilities(count)
    with django_assert_max_num_queries(4):
        response = client.get("/upt/")
    assert response.status_code == 200
    assert response.content.count(b"facility-card") == count


def test_directory_filters_by_province_and_kind(client, db):
    kendari = FacilityFactory(
        region=RegionFactory(province="Sulawesi Tenggara"),
        name="Rutan Kelas IIB Raha",
        kind="rutan",
    )
    palembang = FacilityFactory(
        region=RegionFactory(province="Sumatera Selatan"), name="Lapas Perempuan Palembang"
    )
    response = client.get("/upt/", {"province": "Sulawesi Tenggara"})
    assert kendari.name in response.text and palembang.name not in response.text
    response = client.get("/upt/", {"kind": "lapas"})
    assert palembang.name in response.text and kendari.name not in response.text


def test_directory_says_what_to_try_when_nothing_matches(client, db):
    FacilityFactory(kind="lapas")
    response = client.get("/upt/", {"kind": "lpka"})
    assert "Coba provinsi atau jenis lain" in response.text


def test_inactive_facilities_are_hidden(client, db):
    hidden = FacilityFactory(is_active=False)
    assert hidden.name not in client.get("/upt/").text
    assert client.get(f"/upt/{hidden.slug}/").status_code == 404


def test_storefront_shows_contact_and_whatsapp_link(
    client, facility, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get(f"/upt/{facility.slug}/")
    assert response.status_code == 200
    assert facility.name in response.text
    assert facility.showroom_hours in response.text
    assert f"https://wa.me/{facility.whatsapp_number}?text=Halo" in response.text


def test_unknown_storefront_is_404(client, db):
    assert client.get("/upt/tidak-ada/").status_code == 404
