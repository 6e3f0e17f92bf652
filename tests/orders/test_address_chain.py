"""The address as chained official regions, without JavaScript (each level's
"Pilih" re-renders the page with the next level, keeping what was typed),
refusing mismatched and forged codes at the top and at the field, and the
JSON the script reads."""

import re

import pytest

from orders.models import Order
from regions.chain import address_chain, belongs
from tests.orders.test_views import ADDRESS, add, checkout_data
from tests.regions_data import load_test_regions

pytestmark = pytest.mark.django_db


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="a-{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="a-{name}".*?</select>', html, re.S).group(0)
    found = re.search(r'<option value="([^"]*)" selected', select)
    return found.group(1) if found else ""


def test_pilih_walks_the_chain_without_javascript_keeping_everything(client, miniature):
    add(client, miniature, 1)
    page = client.get("/checkout/").content.decode()
    assert _options(page, "regency") == [""]  # "pilih provinsi dulu"
    assert page.count('name="action" value="region"') == 4  # one "Pilih" per level
    data = checkout_data(client, {miniature.facility: ("courier", "bank_transfer")})
    data.update({"a-regency": "", "a-district": "", "a-village": "", "a-postal_code": ""})
    data.update({"action": "region", "c-name": "Siti Aminah", "a-street": "Jl. Tebet Raya No. 5"})

    steps = [
        ("province", "31", "regency", "31.74"),
        ("regency", "31.74", "district", "31.74.01"),
        ("district", "31.74.01", "village", "31.74.01.1002"),
    ]
    for level, code, child, child_code in steps:
        data[f"a-{level}"] = code
        response = client.post("/checkout/", data)
        assert response.status_code == 200  # a round trip, not a refusal
        html = response.content.decode()
        assert "error-summary" not in html and not Order.objects.exists()
        assert _selected(html, level) == code
        assert child_code in _options(html, child)
        assert 'value="Siti Aminah"' in html and 'value="Jl. Tebet Raya No. 5"' in html
        data[f"a-{child}"] = ""
    data["a-village"] = "31.74.01.1002"
    html = client.post("/checkout/", data).content.decode()
    # The postal code comes from the village, its only choice.
    assert _options(html, "postal_code") == ["12810"] and _selected(html, "postal_code") == "12810"

    # Another province later: the regency chosen before is not kept as chosen.
    data.update({"a-province": "16", "a-regency": "31.74"})
    html = client.post("/checkout/", data).content.decode()
    assert "16.71" in _options(html, "regency") and _selected(html, "regency") == ""


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"a-district": "16.71.04"}, "district", "tidak berada di kabupaten/kota yang dipilih"),
        ({"a-regency": "34.71"}, "regency", "tidak berada di provinsi yang dipilih"),
        ({"a-village": "31.74.01.9999"}, "village", "Kelurahan/desa tidak dikenal"),
        ({"a-province": "99"}, "province", "Provinsi tidak dikenal"),
        ({"a-village": "31.74.01.1002'; --"}, "village", "tidak"),
    ],
)
def test_a_mismatched_or_forged_code_is_refused_at_the_top_and_the_field(
    client, miniature, change, field, message
):
    add(client, miniature, 1)
    data = {**checkout_data(client, {miniature.facility: ("courier", "bank_transfer")}), **change}
    response = client.post("/checkout/", data)
    assert response.status_code == 400 and not Order.objects.exists()
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert re.search(message, summary) and f'href="#id_a-{field}"' in summary
    assert re.search(rf'id="id_a-{field}_error">[^<]*{message}', html)
    # Nothing typed is lost.
    assert f'value="{ADDRESS["a-street"]}"' in html and 'value="Siti Aminah"' in html


def test_the_chain_rule_and_its_json(client):
    load_test_regions()
    assert belongs("31.74", "31") and belongs("31.74.01.1002", "31.74.01")
    assert not belongs("31.74.01", "31") and not belongs("16.71", "31") and not belongs("", "31")
    chain = address_chain(
        {"province": "31", "regency": "31.74", "district": "31.74.01", "village": "31.74.01.1002"}
    )
    assert chain.complete and chain.postal_codes == ["12810"]
    assert chain.names["village"] == "Tebet Barat"
    answer = client.get("/wilayah/31.74.01.json").json()
    assert {"code": "31.74.01.1002", "name": "Tebet Barat", "postal_code": "12810"} in answer[
        "children"
    ]
    assert client.get("/wilayah/99.json").status_code == 404
    assert client.get("/wilayah/31.74.01.1002.json").status_code == 404
