"""The checkout page tells the truth before the button, and the confirmation
page has what the shopper needs after it: every error at once, only choices
that fit, totals before placing (with and without JavaScript), deadlines in
the shopper's zone, copy buttons, receipt upload and the showroom's details."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from facilities.models import Facility
from orders import quotes, selectors, zones
from orders.cart import Cart
from orders.forms import CheckoutForm
from orders.models import Order, PaymentProof
from tests.orders.factories import ProductFactory, shop
from tests.orders.test_views import ADDRESS, add, checkout_data, msgs, png_upload
from tests.regions_data import MAKASSAR_POST

pytestmark = pytest.mark.django_db


def _form(client, data, *, check=True):
    """The CheckoutForm the view would build for this client's cart."""
    session = client.session
    cart = Cart(session)
    snapshot = cart.refresh()
    ids = [g.facility.pk for g in snapshot.groups]
    return CheckoutForm(
        data,
        snapshot=snapshot,
        settings=selectors.delivery_settings_for(ids),
        rates=selectors.shipping_rates_for(ids),
        cart_token=cart.token(),
        check=check,
    )


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


# --- every error at once ----------------------------------------------------------


def test_every_error_comes_in_the_first_round(client, mukena, miniature):
    add(client, mukena, 1)
    add(client, miniature, 1)
    data = checkout_data(
        client,
        {miniature.facility: ("courier", "")},  # mukena: nothing chosen, no payment
        address=False,
        **{"c-name": "", "c-phone": "12345", "a-postal_code": "12AB"},
    )
    form = _form(client, data)
    assert not form.is_valid()
    texts = " | ".join(e.text for e in form.error_summary())
    # Contact, the facility left unchosen, and the address the courier needs:
    # all in the same round, not the address on a second try.
    for expected in (
        "Isi nama lengkap Anda",
        "Nomor telepon tidak valid",
        "Pilih cara pengiriman.",
        "Pilih cara bayar.",
        "Pilih kelurahan/desa dulu",
        "Wajib diisi untuk pengiriman: Provinsi",
        "Wajib diisi untuk pengiriman: Alamat jalan",
    ):
        assert expected in texts, expected
    # The refused postal code keeps one message, not a second "required" one.
    assert "Wajib diisi untuk pengiriman: Kode pos" not in texts

    response = client.post("/checkout/", data)
    assert response.status_code == 400
    html = response.content.decode()
    summary = _summary(html)
    assert 'tabindex="-1"' in summary and "autofocus" in summary and 'role="alert"' in summary
    # Each message links to its field; a radio group links to its first option.
    assert 'href="#id_c-name"' in summary and 'href="#id_a-street"' in summary
    assert f'href="#id_f{mukena.facility_id}-delivery_0"' in summary
    for anchor in re.findall(r'href="#([^"]+)"', summary):
        assert f'id="{anchor}"' in html, anchor
    # At the field too, and tied to it for screen readers.
    assert re.search(r'<p class="field-error" id="id_c-name_error">', html)
    assert re.search(r'<input[^>]*name="c-name"[^>]*aria-describedby="id_c-name_error"', html)
    assert re.search(
        r'<input[^>]*name="c-phone"[^>]*aria-describedby="id_c-phone_error id_c-phone_helptext"',
        html,
    )
    assert re.search(r'<input[^>]*name="a-street"[^>]*aria-invalid="true"', html)
    assert not Order.objects.exists()


def test_local_delivery_outside_the_city_is_listed_with_the_rest(client, palembang):
    product = ProductFactory(facility=palembang, name="Pempek Kapal Selam", local_only=True)
    add(client, product, 2)
    data = checkout_data(client, {palembang: ("local", "bank_transfer")}, **{"c-name": ""})
    response = client.post("/checkout/", data)  # the address is in Jakarta
    assert response.status_code == 400
    summary = _summary(response.content.decode())
    assert "Isi nama lengkap Anda" in summary
    assert "Antar dalam kota hanya untuk alamat di Palembang, Sumatera Selatan" in summary
    assert not Order.objects.exists()


# --- only choices that fit -------------------------------------------------------


def test_pay_at_pickup_says_it_is_for_pickup_and_courier_disables_it(client, miniature):
    add(client, miniature, 1)
    pk = miniature.facility_id
    page = client.get("/checkout/").content.decode()
    option = re.search(r'<input[^>]*name="g-payment"[^>]*value="pay_at_pickup"[^>]*>', page)
    # Courier is chosen first (the facility offers it): pay at pickup waits.
    assert option and 'data-fits="pickup"' in option.group(0) and "disabled" in option.group(0)
    assert "hanya bila diambil" in page
    assert f'name="f{pk}-payment"' not in page  # one payment choice per checkout

    # The no-JavaScript update with courier chosen re-renders it disabled.
    data = checkout_data(client, {miniature.facility: ("courier", "pay_at_pickup")})
    updated = client.post("/checkout/", {**data, "action": "update"}).content.decode()
    option = re.search(r'<input[^>]*value="pay_at_pickup"[^>]*>', updated).group(0)
    assert "disabled" in option and "checked" not in option


def test_server_refuses_pay_at_pickup_with_courier_clearly(client, miniature):
    add(client, miniature, 1)
    data = checkout_data(client, {miniature.facility: ("courier", "pay_at_pickup")})
    response = client.post("/checkout/", data)
    assert response.status_code == 400
    summary = _summary(response.content.decode())
    assert "Bayar saat ambil hanya bila semua pesanan diambil di showroom" in summary
    assert not Order.objects.exists()


# --- totals before the button ------------------------------------------------------


def test_quote_prices_each_facility_and_the_grand_total(client, mukena, miniature):
    add(client, mukena, 2)  # 350.000, picked up
    add(client, miniature, 2)  # 700.000, 3.6 kg -> 4 kg by courier to Jakarta: 90.000
    snapshot = Cart(client.session).refresh()
    ids = [g.facility.pk for g in snapshot.groups]
    settings = selectors.delivery_settings_for(ids)
    rates = selectors.shipping_rates_for(ids)
    methods = {mukena.facility_id: "pickup", miniature.facility_id: "courier"}

    no_province = quotes.checkout_quote(
        snapshot=snapshot, methods=methods, province="", settings=settings, rates=rates
    )
    assert no_province.row_for(miniature.facility_id).needs_address
    assert no_province.grand_total is None and no_province.product_total == 1_050_000
    # A province alone prices no courier: the price waits for the village's
    # courier options, never a province guess that changes (issue 30).
    province_only = quotes.checkout_quote(
        snapshot=snapshot, methods=methods, province="31", settings=settings, rates=rates
    )
    assert province_only.row_for(miniature.facility_id).needs_address

    quote = quotes.checkout_quote(
        snapshot=snapshot,
        methods=methods,
        province="31",
        settings=settings,
        rates=rates,
        courier_fees={miniature.facility_id: 90_000},  # the table's option to the village
    )
    assert quote.row_for(mukena.facility_id).shipping_fee == 0
    assert quote.row_for(miniature.facility_id).shipping_fee == 90_000
    assert quote.grand_total == 1_140_000

    # A tampered or unoffered method prices nothing.
    tampered = quotes.checkout_quote(
        snapshot=snapshot,
        methods={mukena.facility_id: "teleport", miniature.facility_id: "courier"},
        province="Atlantis",
        settings=settings,
        rates=rates,
    )
    assert tampered.row_for(mukena.facility_id).shipping_fee is None
    assert tampered.row_for(miniature.facility_id).needs_address

    # What was shown is what is charged.
    data = checkout_data(
        client,
        {
            mukena.facility: ("pickup", "bank_transfer"),
            miniature.facility: ("courier", "bank_transfer"),
        },
    )
    assert _form(client, data, check=False).quote().grand_total == quote.grand_total
    assert client.post("/checkout/", data).status_code == 302
    assert sum(o.total for o in Order.objects.all()) == quote.grand_total


def test_update_without_javascript_shows_totals_keeps_input_and_places_nothing(
    client, mukena, miniature
):
    add(client, mukena, 1)
    add(client, miniature, 1)
    data = checkout_data(
        client,
        {mukena.facility: ("pickup", "bank_transfer"), miniature.facility: ("courier", "")},
        **{"c-name": "Siti", "c-phone": "", "action": "update"},
    )
    response = client.post("/checkout/", data)
    assert response.status_code == 200
    html = response.content.decode()
    # Half filled is not a mistake yet: no errors, but the totals are there.
    assert "error-summary" not in html and "field-error" not in html
    assert "aria-invalid" not in html
    totals = re.search(r'<section class="card totals".*?</section>', html, re.S).group(0)
    assert "Rp 50.000" in totals  # 1.8 kg -> 2 kg to Jakarta
    assert "Rp 575.000" in totals  # 175.000 + 350.000 + 50.000
    assert f'<span id="fee-{miniature.facility_id}"><strong>Rp 50.000</strong>' in html
    # What was typed and chosen is kept.
    assert 'value="Siti"' in html and 'value="Jl. Tebet Raya No. 5"' in html
    assert re.search(
        rf'<input[^>]*name="f{miniature.facility_id}-delivery"[^>]*value="courier"[^>]*checked',
        html,
    )
    for code in ("31", "31.74", "31.74.01", "31.74.01.1002", "12810"):
        assert f'<option value="{code}" selected>' in html
    assert response.context["form"].idempotency_key == data["idempotency_key"]
    assert not Order.objects.exists()


def test_totals_fragment_follows_the_choices(client, mukena, miniature):
    add(client, miniature, 1)
    data = checkout_data(client, {miniature.facility: ("courier", "bank_transfer")})
    response = client.post("/checkout/ringkasan/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<section class="card totals" id="checkout-totals"')
    assert "Rp 400.000" in html and "<html" not in html
    # The courier services come with it, for the page to put in place.
    pk = miniature.facility_id
    assert f'<div data-courier-for="{pk}">' in html and f'name="f{pk}-courier"' in html
    response = client.post("/checkout/ringkasan/", {**data, "a-village": "", "a-postal_code": ""})
    assert "Ongkos kirim dihitung setelah alamat diisi" in response.content.decode()
    assert "Rp 400.000" not in response.content.decode()
    assert not Order.objects.exists()


def test_totals_fragment_is_post_only_csrf_checked_and_empty_without_a_cart(client, mukena):
    assert client.post("/checkout/ringkasan/", {}).status_code == 204
    assert client.get("/checkout/ringkasan/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/checkout/ringkasan/", {}).status_code == 403


# --- query budgets ---------------------------------------------------------------


def _cart_of_size(client, size):
    facilities = [shop(), shop(), shop()]
    for i in range(size):
        add(client, ProductFactory(facility=facilities[i % 3]), 1)


def _warm_region_lists(client, data):
    """The address's region lists are cached a day (regions/chain.py): cold,
    the three levels cost ONE query (a UNION), whatever the cart's size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cold:
        client.post("/checkout/ringkasan/", data)
    with CaptureQueriesContext(connection) as warm:
        client.post("/checkout/ringkasan/", data)
    assert len(cold) - len(warm) == 1
    assert sum("UNION" in q["sql"] for q in cold.captured_queries) == 1


@pytest.mark.parametrize("size", [1, 6])
def test_failed_place_query_budget(client, django_assert_max_num_queries, size):
    _cart_of_size(client, size)
    data = checkout_data(client, {}, **{"c-name": ""})
    _warm_region_lists(client, data)
    # Checkout key lookup, session, products, the cart's holds, delivery
    # settings, rates.
    with django_assert_max_num_queries(7):
        assert client.post("/checkout/", data).status_code == 400


@pytest.mark.parametrize("size", [1, 6])
def test_totals_fragment_query_budget(client, django_assert_max_num_queries, size):
    _cart_of_size(client, size)
    data = checkout_data(client, {})
    _warm_region_lists(client, data)
    # Session, products, their price tiers (one query whatever the size),
    # the cart's holds, delivery settings, rates.
    with django_assert_max_num_queries(6):
        assert client.post("/checkout/ringkasan/", data).status_code == 200


# --- the confirmation page ----------------------------------------------------------


def _placed(client, choices, **overrides):
    data = checkout_data(client, choices, **overrides)
    placed = client.post("/checkout/", data)
    assert placed.status_code == 302, msgs(placed)
    return placed.url


def test_confirmation_has_copy_buttons_and_deadlines_in_both_zones(client, miniature):
    Facility.objects.filter(pk=miniature.facility_id).update(timezone=Facility.TimeZone.WITA)
    add(client, miniature, 1)
    html = client.get(_placed(client, {miniature.facility: ("courier", "bank_transfer")}))
    html = html.content.decode()
    order = Order.objects.get()
    account = miniature.facility.bank_accounts.get()
    # The value is plain text; the button carries it, hidden until the script shows it.
    assert f'<strong class="account-number">{account.account_number}</strong>' in html
    assert f'data-copy="{account.account_number}"' in html
    assert f'data-copy="{order.total}"' in html and f'data-copy="{order.code}"' in html
    assert re.search(r'<button type="button" class="copy-button"[^>]*hidden>', html)
    assert "Total semua pesanan" in html and "Rp 400.000" in html
    # Shipped to Jakarta: the shopper reads WIB, the facility's WITA beside it.
    wib = timezone.localtime(order.payment_deadline, ZoneInfo(zones.WIB))
    wita = wib + timedelta(hours=1)
    assert f"{wib:%H.%M}" in html and "WIB" in html
    assert f"({wita:%H.%M} WITA, waktu UPT)" in html


def test_deadline_in_the_shoppers_zone_from_the_address(client, miniature):
    add(client, miniature, 1)
    makassar = MAKASSAR_POST
    html = client.get(
        _placed(client, {miniature.facility: ("courier", "bank_transfer")}, **makassar)
    ).content.decode()
    order = Order.objects.get()
    wita = timezone.localtime(order.payment_deadline, ZoneInfo(zones.WITA))
    assert "Semua jam di halaman ini dalam WITA" in html
    assert f"{wita:%H.%M} WITA" in html
    wib = wita - timedelta(hours=1)
    assert f"({wib:%H.%M} WIB, waktu UPT)" in html  # the facility keeps WIB


def test_pickup_order_shows_the_showroom_with_hours_and_a_map(client, mukena):
    add(client, mukena, 1)
    html = client.get(
        _placed(client, {mukena.facility: ("pickup", "pay_at_pickup")}, address=False)
    ).content.decode()
    facility = mukena.facility
    assert "Ambil di showroom" in html
    assert facility.address in html and facility.showroom_hours in html
    assert "https://www.google.com/maps/search/?api=1&amp;query=Lapas+Perempuan" in html
    assert "Bayar tunai atau QRIS di showroom" in html
    assert "receipt-form" not in html  # nothing to upload for pay at pickup


def test_receipt_upload_from_the_confirmation_page(client, mukena, media):
    add(client, mukena, 1)
    url = _placed(client, {mukena.facility: ("pickup", "bank_transfer")}, address=False)
    order = Order.objects.get()
    html = client.get(url).content.decode()
    assert f'action="/lacak/{order.code}/bukti/"' in html
    assert f'name="{order.code}-receipt"' in html
    code = url.split("/")[2]

    fake_pdf = SimpleUploadedFile("bukti.pdf", b"<html>not a pdf</html>", "application/pdf")
    fake = {"checkout": code, f"{order.code}-receipt": fake_pdf}
    refused = client.post(f"/lacak/{order.code}/bukti/", fake)
    assert refused.status_code == 302 and refused.url == f"{url}#pesanan-{order.code}"
    assert not PaymentProof.objects.exists()
    assert msgs(refused)

    sent = client.post(
        f"/lacak/{order.code}/bukti/", {"checkout": code, f"{order.code}-receipt": png_upload()}
    )
    assert sent.status_code == 302 and sent.url == f"{url}#pesanan-{order.code}"
    assert PaymentProof.objects.filter(order=order).count() == 1
    again = client.get(url).content.decode()
    assert "Menunggu diperiksa" in again  # the receipt, listed where it was sent


def test_receipt_upload_cannot_borrow_another_browsers_checkout(client, mukena, media):
    add(client, mukena, 1)
    url = _placed(client, {mukena.facility: ("pickup", "bank_transfer")}, address=False)
    order = Order.objects.get()
    stranger = Client()
    response = stranger.post(
        f"/lacak/{order.code}/bukti/",
        {"checkout": url.split("/")[2], f"{order.code}-receipt": png_upload()},
    )
    assert response.status_code == 302 and response.url == "/lacak/"
    assert not PaymentProof.objects.exists()


def test_gateway_slot_renders_nothing_until_filled():
    assert render_to_string("orders/partials/gateway_payment.html", {}).strip() == ""


@pytest.mark.parametrize("facilities", [1, 3])
def test_confirmation_query_budget_with_receipts(client, django_assert_max_num_queries, facilities):
    for _ in range(facilities):
        add(client, ProductFactory(facility=shop()), 1)
    data = checkout_data(client, {}, address=False)
    for group in client.get("/checkout/").context["snapshot"].groups:
        data[f"f{group.facility.pk}-delivery"] = "pickup"
    data["g-payment"] = "bank_transfer"
    placed = client.post("/checkout/", data)
    assert placed.status_code == 302
    # Session, orders, lines, bank accounts, receipts, the checkout's gateway charge.
    with django_assert_max_num_queries(6):
        page = client.get(placed.url)
    assert page.content.decode().count("receipt-form") == facilities


def test_zone_of_each_province():
    assert zones.zone_for_province("DKI Jakarta") == zones.WIB
    assert zones.zone_for_province("Kalimantan Barat") == zones.WIB
    assert zones.zone_for_province("Sulawesi Tenggara") == zones.WITA
    assert zones.zone_for_province("Papua Pegunungan") == zones.WIT
    assert zones.zone_for_province("") == zones.WIB
    assert ADDRESS["a-province"] == "31"


@pytest.mark.parametrize(
    "junk",
    [
        {"a-province": "Atlantis", "f999999-delivery": "courier"},
        {"a-province": "x" * 5000, "f1-delivery": "teleport" * 200},
        {"a-province": ["DKI Jakarta", "Bali"], "cart_token": "", "idempotency_key": "'; --"},
    ],
)
def test_totals_fragment_shrugs_off_junk(client, miniature, junk):
    add(client, miniature, 1)
    data = {**checkout_data(client, {miniature.facility: ("courier", "bank_transfer")}), **junk}
    response = client.post("/checkout/ringkasan/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp 350.000" in html and "Atlantis" not in html and "teleport" not in html
    assert not Order.objects.exists()


def test_totals_fragment_leaves_the_cart_notices_for_the_page(client, mukena):
    from catalog.models import Product

    add(client, mukena, 1)
    data = checkout_data(client, {mukena.facility: ("pickup", "bank_transfer")})
    Product.objects.filter(pk=mukena.pk).update(price=200_000)
    fragment = client.post("/checkout/ringkasan/", data).content.decode()
    assert "Rp 200.000" in fragment  # the totals use today's price...
    page = client.get("/checkout/").content.decode()
    assert "Harga Mukena Bordir berubah" in page  # ...and the page still says why


@pytest.mark.parametrize("size", [1, 6])
def test_update_submit_query_budget(client, django_assert_max_num_queries, size):
    _cart_of_size(client, size)
    data = checkout_data(client, {}, action="update")
    _warm_region_lists(client, data)
    # Session, products, their price tiers, the cart's holds (read only:
    # the live totals work on a copy of the cart), delivery settings, rates:
    # no checkout lookup, no writes.
    with django_assert_max_num_queries(6):
        assert client.post("/checkout/", data).status_code == 200
