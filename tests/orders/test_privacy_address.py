"""The privacy correction's delivery address (UU PDP: the shopper corrects
their data): the same chained official regions as checkout
(orders/address_form.py, regions/chain.py), walked without JavaScript by the
"Pilih" buttons, forged and mismatched codes refused at the top and at the
field, and stored with codes and official names exactly as placement stores
them; a correction keeps what priced the delivery."""

import re
from dataclasses import replace

import pytest

from orders import privacy, services
from orders.models import Order
from orders.privacy.models import PrivacyRequest
from regions.loader import regions_load
from tests.orders.factories import JAKARTA, PALEMBANG, place

pytestmark = pytest.mark.django_db

# A second village in Ilir Barat Satu for these tests (the shared test data
# has one there), and its own postal code.
LOROK = {"16.71.04.1002": "Lorok Pakjo"}
LOROK_POSTAL = {"16.71.04.1002": "30137"}


@pytest.fixture(autouse=True)
def _no_otp(settings):
    # Orders with an email ask for a mailed code first (tested in test_privacy).
    settings.PRIVACY_OTP_BY_EMAIL = False


def _opened(client, order):
    response = client.post("/lacak/", {"code": order.code, "phone": "081234567890"})
    assert response.status_code == 302


def _post(order, **address):
    data = {
        "c-name": order.contact_name,
        "c-phone": "081234567890",
        "c-email": order.contact_email,
        "a-province": order.region_province_code,
        "a-regency": order.region_regency_code,
        "a-district": order.region_district_code,
        "a-village": order.region_village_code,
        "a-postal_code": order.postal_code,
        "a-street": order.street,
        "action": "save",
    }
    data.update({f"a-{k}": v for k, v in address.items()})
    return data


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="a-{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="a-{name}".*?</select>', html, re.S).group(0)
    found = re.search(r'<option value="([^"]*)" selected', select)
    return found.group(1) if found else ""


def _snapshot(order) -> tuple:
    order.refresh_from_db()
    return tuple(getattr(order, name) for name in privacy.ADDRESS_FIELDS)


def test_the_page_offers_the_chained_choice_and_pilih_walks_it_without_javascript(client, mukena):
    order = place([(mukena, 1)], delivery="courier", address=JAKARTA).orders[0]
    before = _snapshot(order)
    _opened(client, order)
    html = client.get(f"/lacak/{order.code}/data-pribadi/").content.decode()
    assert html.count('name="action" value="region"') == 4  # one "Pilih" per level
    assert 'data-children-url="/wilayah/"' in html and "js/address.js" in html
    assert [_selected(html, level) for level in ("province", "regency", "district", "village")] == [
        "31",
        "31.74",
        "31.74.01",
        "31.74.01.1002",
    ]
    assert "31.74.01.1001" in _options(html, "village")  # its siblings are listed

    url = f"/lacak/{order.code}/data-pribadi/ubah/"
    data = _post(order, province="16", street="Jl. Baru 9")
    data["action"] = "region"
    response = client.post(url, data)
    assert response.status_code == 200  # a round trip: nothing saved, nothing flagged
    html = response.content.decode()
    assert "error-summary" not in html and 'value="Jl. Baru 9"' in html
    assert _selected(html, "province") == "16" and "16.71" in _options(html, "regency")
    assert _selected(html, "regency") == ""  # 31.74 is not a regency of 16
    assert _snapshot(order) == before and not PrivacyRequest.objects.exists()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"district": "16.71.04"}, "district", "tidak berada di kabupaten/kota yang dipilih"),
        ({"regency": "34.71"}, "regency", "tidak berada di provinsi yang dipilih"),
        ({"village": "31.74.01.9999"}, "village", "Kelurahan/desa tidak dikenal"),
        ({"province": "99"}, "province", "Provinsi tidak dikenal"),
        ({"village": "31.74.01.1002'; --"}, "village", "tidak"),
        ({"postal_code": "12820"}, "postal_code", "bukan kode pos kelurahan/desa"),
    ],
)
def test_forged_or_mismatched_codes_are_refused_at_the_top_and_the_field(
    client, mukena, change, field, message
):
    order = place([(mukena, 1)], delivery="courier", address=JAKARTA).orders[0]
    before = _snapshot(order)
    _opened(client, order)
    response = client.post(f"/lacak/{order.code}/data-pribadi/ubah/", _post(order, **change))
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert re.search(message, summary) and f'href="#id_a-{field}"' in summary
    assert re.search(rf'id="id_a-{field}_error">[^<]*{message}', html)
    assert _snapshot(order) == before and not PrivacyRequest.objects.exists()


def test_a_corrected_village_is_stored_with_codes_and_official_names(client, mukena):
    regions_load(wilayah={}, villages=LOROK, postal=LOROK_POSTAL)
    order = place([(mukena, 1)], delivery="local", address=PALEMBANG).orders[0]
    _opened(client, order)
    data = _post(order, village="16.71.04.1002", postal_code="30137", street="Jl. Lorok 3")
    response = client.post(f"/lacak/{order.code}/data-pribadi/ubah/", data)
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.region_village_code, order.village, order.postal_code, order.street) == (
        "16.71.04.1002",
        "Lorok Pakjo",
        "30137",
        "Jl. Lorok 3",
    )
    assert (order.city, order.district, order.province) == (
        "Kota Palembang",
        "Ilir Barat Satu",
        "Sumatera Selatan",
    )
    detail = PrivacyRequest.objects.get(kind=PrivacyRequest.Kind.CORRECTION).detail
    assert "kode kelurahan/desa" in detail and "Lorok" not in detail


def test_local_delivery_stays_in_the_facility_city(client, mukena):
    order = place([(mukena, 1)], delivery="local", address=PALEMBANG).orders[0]
    before = _snapshot(order)
    _opened(client, order)
    data = _post(
        order,
        province="31",
        regency="31.74",
        district="31.74.01",
        village="31.74.01.1002",
        postal_code="12810",
    )
    response = client.post(f"/lacak/{order.code}/data-pribadi/ubah/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_a-regency"' in html and "Antar dalam kota hanya untuk alamat di" in html
    assert _snapshot(order) == before


def test_a_courier_parcel_keeps_its_postal_code_but_the_street_may_change(client, mukena):
    order = place([(mukena, 1)], delivery="courier", address=JAKARTA).orders[0]
    before = _snapshot(order)
    _opened(client, order)
    url = f"/lacak/{order.code}/data-pribadi/ubah/"
    # Tebet Timur is in the same district but has another postal code: another price.
    response = client.post(url, _post(order, village="31.74.01.1001", postal_code="12820"))
    assert response.status_code == 400
    assert re.search(r'id="id_a-postal_code_error">[^<]*kode pos 12810', response.content.decode())
    assert _snapshot(order) == before

    response = client.post(url, _post(order, street="Jl. Tebet Barat Dalam II No. 7"))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.street == "Jl. Tebet Barat Dalam II No. 7"
    assert order.region_village_code == JAKARTA.village_code


def test_the_service_checks_codes_again_and_takes_names_from_the_data(mukena):
    order = place([(mukena, 1)], delivery="courier", address=JAKARTA).orders[0]
    contact = services.Contact(name="Siti Aminah", phone="+6281234567890")
    forged = replace(JAKARTA, district_code="16.71.04")
    with pytest.raises(privacy.PrivacyError, match="tidak cocok"):
        privacy.order_contact_correct(order=order, contact=contact, address=forged)
    unknown = replace(JAKARTA, district_code="31.74.09", village_code="31.74.09.1002")
    with pytest.raises(privacy.PrivacyError, match="tidak dikenal"):
        privacy.order_contact_correct(order=order, contact=contact, address=unknown)
    # Names posted by hand are not what is stored: the region data's are.
    renamed = replace(JAKARTA, village="Desa Palsu", city="Kota Palsu", street="Jl. Baru 1")
    privacy.order_contact_correct(order=order, contact=contact, address=renamed)
    order = Order.objects.get(pk=order.pk)
    assert (order.village, order.city, order.street) == (
        "Tebet Barat",
        "Kota Administrasi Jakarta Selatan",
        "Jl. Baru 1",
    )


def test_an_order_placed_before_official_addresses_keeps_it_unless_regions_are_picked(
    client, mukena
):
    order = place([(mukena, 1)], delivery="courier", address=JAKARTA).orders[0]
    Order.objects.filter(pk=order.pk).update(
        region_province_code="",
        region_regency_code="",
        region_district_code="",
        region_village_code="",
        village="",
        city="Jakarta Selatan",
    )
    order.refresh_from_db()
    before = _snapshot(order)
    _opened(client, order)
    html = client.get(f"/lacak/{order.code}/data-pribadi/").content.decode()
    assert "sebelum wilayah resmi dipakai" in html
    data = _post(order)
    data["c-name"] = "Siti Aminah Lubis"
    response = client.post(f"/lacak/{order.code}/data-pribadi/ubah/", data)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.contact_name == "Siti Aminah Lubis" and _snapshot(order) == before
