"""Rates by Biteship area ids (Maps API), through the real client over HTTP
to the simulator: looked up once per village and cached, used for both ends
when both are known, and postal codes whenever the lookup fails."""

from dataclasses import replace

import pytest
from django.core.cache import cache

from shipping import areas, biteship
from shipping.providers import Parcel, ShippingError
from shipping.rates import cache_key, courier_options
from tests.orders.test_couriers import palembang_product, simulator  # noqa: F401 (fixtures)
from tests.regions_data import load_test_regions

pytestmark = pytest.mark.django_db(transaction=True)

TEBET_AREA = "IDNP31IDNC74IDND01IDZ12810"
BUKIT_LAMA_AREA = "IDNP16IDNC71IDND04IDZ30139"


def _parcel(**kwargs):
    return Parcel(
        origin_postal_code="30139",
        destination_postal_code="12810",
        weight_grams=1_200,
        value=175_000,
        origin_village_code="16.71.04.1001",
        destination_village_code="31.74.01.1002",
        **kwargs,
    )


@pytest.fixture
def sent(monkeypatch):
    """The bodies and paths the real client sends (still sent over HTTP)."""
    calls = []
    real = biteship.json_request

    def spy(url, *, method, body=None, headers=None, timeout):
        calls.append((method, url.split("/_simulator/biteship", 1)[-1], body))
        return real(url, method=method, body=body, headers=headers, timeout=timeout)

    monkeypatch.setattr(biteship, "json_request", spy)
    return calls


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("simulator")
def test_the_maps_api_finds_a_villages_area():
    load_test_regions()
    found = biteship.BiteshipClient().areas("Tebet, Kota Administrasi Jakarta Selatan, 12810")
    assert [a["id"] for a in found] == [TEBET_AREA]
    assert found[0]["postal_code"] == 12810
    assert found[0]["administrative_division_level_3_name"] == "Tebet"


@pytest.mark.usefixtures("simulator")
def test_rates_go_by_area_ids_looked_up_once_per_village(sent):
    load_test_regions()
    parcel = _parcel()
    by_area = courier_options(parcel, fallback=lambda: [])
    assert by_area.from_aggregator

    def calls(prefix):
        return [body for _m, path, body in sent if path.startswith(prefix)]

    assert calls("/v1/rates/couriers")[-1]["origin_area_id"] == BUKIT_LAMA_AREA
    assert calls("/v1/rates/couriers")[-1]["destination_area_id"] == TEBET_AREA
    assert "origin_postal_code" not in calls("/v1/rates/couriers")[-1]
    assert len(calls("/v1/maps/areas")) == 2  # one per village
    # The rates expire (or another weight): asked again, the areas are not.
    cache.delete(cache_key(parcel, biteship.DEFAULT_COURIERS))
    again = courier_options(parcel, fallback=lambda: [])
    assert len(calls("/v1/rates/couriers")) == 2 and len(calls("/v1/maps/areas")) == 2
    # The same prices as by postal code (the simulator prices both the same way).
    cache.delete(cache_key(parcel, biteship.DEFAULT_COURIERS))
    by_postal = courier_options(replace(parcel, destination_village_code=""), fallback=list)
    assert "origin_postal_code" in calls("/v1/rates/couriers")[-1]
    prices = [o.price for o in by_postal.options]
    assert [o.price for o in by_area.options] == [o.price for o in again.options] == prices


@pytest.mark.usefixtures("simulator")
def test_a_failed_lookup_falls_back_to_postal_codes_and_is_remembered(sent, monkeypatch):
    load_test_regions()
    asked = []

    def down(self, text):
        asked.append(text)
        raise ShippingError("GET /v1/maps/areas: HTTP 503")

    monkeypatch.setattr(biteship.BiteshipClient, "areas", down)
    answer = courier_options(_parcel(), fallback=lambda: [])
    assert answer.from_aggregator and answer.options  # the shopper still gets courier prices
    body = [b for _m, path, b in sent if path == "/v1/rates/couriers"][-1]
    assert body["origin_postal_code"] == 30139 and "origin_area_id" not in body
    assert areas.area_id_for_village("16.71.04.1001") == ""
    assert len(asked) == 1  # the miss is cached: no second call for the same village


def test_an_unknown_village_or_no_match_means_postal_codes():
    load_test_regions()

    class NoMatch:
        def areas(self, text):
            return [{"id": "A", "postal_code": 11111}, {"id": "B", "postal_code": 22222}]

    assert areas.area_id_for_village("99.99.99.9999", client=NoMatch()) == ""
    assert areas.area_id_for_village("31.74.01.1002", client=NoMatch()) == ""
    assert areas.pick([{"id": "A", "postal_code": 12810}], "12810") == "A"
    parcel = areas.with_area_ids(_parcel())
    assert parcel.origin_area_id == "" and parcel.destination_area_id == ""
