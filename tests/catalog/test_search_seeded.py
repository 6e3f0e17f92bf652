"""The issue's promise on the demo catalogue: a songket from Palembang or a rat
trap from Pangkalpinang in one search, misspelt or not. (One test: loading the
seeded catalogue draws and encodes every photo, which takes a while.)"""

import re

import pytest

from catalog.models import ListingStatus, Product
from seeds.catalog import load_catalog
from seeds.facilities import load_facilities

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def names(response) -> list[str]:
    return re.findall(r'<h3><a href="/produk/[^"]+/">([^<]+)</a></h3>', response.text)


def test_seeded_catalogue_is_found_in_one_search(client):
    load_catalog(load_facilities())

    def search(query):
        response = client.get("/produk/", {"q": query})
        assert response.status_code == 200
        return names(response), " ".join(response.text.split())

    found, _ = search("songket palembang")
    assert found[0] == "Kain Songket Palembang Motif Lepus"
    found, _ = search("perangkap tikus pangkalpinang")
    assert found[0] == "Perangkap Tikus Kawat Galvanis"
    found, _ = search("rajutan")  # stemming: the "rajut" products
    assert {"Tas Rajut Tali Kur Motif Tenun", "Dompet Rajut Mini"} <= set(found)

    for typo, suggestion, expected in [
        ("sonket", "songket", "Kain Songket Palembang Motif Lepus"),
        ("phinisi", "pinisi", "Miniatur Kapal Pinisi Kayu Jati"),
    ]:
        found, text = search(typo)
        assert found[0] == expected
        assert f'Mungkin maksud Anda: <a href="?q={suggestion}">{suggestion}</a>' in text

    # Listings still in review are neither found nor reachable.
    for product in Product.objects.exclude(status=ListingStatus.APPROVED):
        assert product.name not in search(product.name)[0]
        assert client.get(product.get_absolute_url()).status_code == 404
