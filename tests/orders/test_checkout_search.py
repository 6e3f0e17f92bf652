"""The address in one choice (issue 30): a village found by name fills the
whole chain, as JSON for the page's script and as a round trip without it;
and the checkout's orchestration service gives the rate-limit count back
exactly when nothing new was placed."""

import re

import pytest

from orders.models import Order
from orders.services import OrderError
from orders.services import checkout_submit as submit_module
from orders.services.checkout_submit import checkout_submit
from regions.selectors import village_search
from tests.orders.test_views import add, checkout_data
from tests.regions_data import load_test_regions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _regions(db):
    load_test_regions()


def test_search_finds_villages_by_every_word_with_the_whole_chain():
    rows = village_search("tebet barat")
    assert [r["code"] for r in rows] == ["31.74.01.1002"]
    assert rows[0]["postal_code"] == "12810"
    assert rows[0]["label"].startswith("Tebet Barat, Tebet, Kota Administrasi Jakarta Selatan")
    # A district's name finds its villages; the one starting with the word first.
    assert [r["name"] for r in village_search("tebet")] == ["Tebet Barat", "Tebet Timur"]
    assert village_search("te") == []  # too short to mean anything
    assert village_search("atlantis") == []


def test_search_json_is_public_and_small(client):
    answer = client.get("/wilayah/cari.json", {"q": "sukasari bandung"}).json()
    assert [r["code"] for r in answer["results"]] == ["32.73.01.1001"]
    assert client.get("/wilayah/cari.json", {"q": ""}).json() == {"results": []}


def test_without_javascript_cari_lists_villages_and_one_tap_fills_the_chain(client, miniature):
    add(client, miniature, 1)
    data = checkout_data(client, {miniature.facility: ("courier", "bank_transfer")}, address=False)
    data.update({"action": "region-search", "a-search": "tebet barat", "c-name": "Siti"})
    found = client.post("/checkout/", data)
    assert found.status_code == 200
    html = found.content.decode()
    assert 'value="pick:31.74.01.1002"' in html and "error-summary" not in html
    assert 'value="Siti"' in html  # what was typed is kept

    data["action"] = "pick:31.74.01.1002"
    picked = client.post("/checkout/", data)
    assert picked.status_code == 200
    html = picked.content.decode()
    for name, code in (
        ("province", "31"),
        ("regency", "31.74"),
        ("district", "31.74.01"),
        ("village", "31.74.01.1002"),
        ("postal_code", "12810"),
    ):
        select = re.search(rf'<select name="a-{name}".*?</select>', html, re.S).group(0)
        assert f'<option value="{code}" selected>' in select, name
    # The couriers came with it, the cheapest chosen, and nothing was placed.
    pk = miniature.facility_id
    assert re.search(rf'<input[^>]*name="f{pk}-courier"[^>]*checked', html)
    assert not Order.objects.exists()


def test_a_forged_pick_is_only_an_update(client, miniature):
    add(client, miniature, 1)
    data = checkout_data(client, {miniature.facility: ("courier", "bank_transfer")}, address=False)
    data["action"] = "pick:31.74.01.9999"
    response = client.post("/checkout/", data)
    assert response.status_code == 200 and not Order.objects.exists()


class _Counter:
    def __init__(self):
        self.given_back = 0

    def __call__(self):
        self.given_back += 1


def test_the_service_gives_the_count_back_only_when_nothing_new_was_placed(monkeypatch):
    """Refused, a double submit, or called off because the gateway made no
    charge: given back once. Placed: kept (the control)."""
    from orders.payments import services as gateway_services

    class Result:
        def __init__(self, created):
            self.created, self.orders = created, []

    outcomes = {
        "refused": OrderError("Stok tidak cukup."),
        "double": Result(created=False),
        "placed": Result(created=True),
    }
    for name, outcome in outcomes.items():
        counter = _Counter()

        def place(outcome=outcome, **_):
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        monkeypatch.setattr(submit_module, "checkout_place", place)
        submitted = checkout_submit(gateway_channel="qris", give_back=counter)
        assert counter.given_back == (0 if name == "placed" else 1), name
        assert submitted.placed == (name != "refused"), name

    # Placed with an online order, and the gateway surely made nothing.
    class Online:
        payment_method = "gateway"

    placed = Result(created=True)
    placed.orders = [Online()]
    placed.checkout = type("C", (), {"code": "X"})()
    called_off = []
    monkeypatch.setattr(submit_module, "checkout_place", lambda **_: placed)
    monkeypatch.setattr(
        submit_module.payment_selectors, "gateway_payment_for_checkout", lambda code: None
    )

    def start(payment, close_on_refusal=True):
        # checkout_submit closes the payment itself, with the orders.
        assert close_on_refusal is False
        raise gateway_services.GatewayUnavailable

    monkeypatch.setattr(gateway_services, "gateway_payment_start", start)
    monkeypatch.setattr(
        gateway_services,
        "gateway_checkout_refused",
        lambda payment, orders: called_off.extend(orders),
    )
    counter = _Counter()
    submitted = checkout_submit(gateway_channel="qris", give_back=counter)
    assert submitted.gateway_down and not submitted.placed
    assert counter.given_back == 1 and called_off == placed.orders


def test_a_remembered_village_starts_the_checkout_address(client, miniature):
    """The product page's (or the last order's) village fills the chain on a
    fresh checkout page: the couriers are priced before any tap."""
    add(client, miniature, 1)
    client.cookies["kb_ongkir_wilayah"] = "31.74.01.1002"
    html = client.get("/checkout/").content.decode()
    select = re.search(r'<select name="a-village".*?</select>', html, re.S).group(0)
    assert '<option value="31.74.01.1002" selected>' in select
    pk = miniature.facility_id
    assert re.search(rf'<input[^>]*name="f{pk}-courier"[^>]*checked', html)
    # A province alone (a product page's guess) leaves the address to the shopper.
    client.cookies["kb_ongkir_wilayah"] = "31"
    html = client.get("/checkout/").content.decode()
    assert f'name="f{pk}-courier"' not in html
