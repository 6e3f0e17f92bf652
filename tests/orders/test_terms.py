"""The terms of sale (PP 80/2019 art. 53): the page, the one consent box, and
the version each order records."""

import pytest

from orders import terms
from orders.models import Order
from tests.orders.factories import place
from tests.orders.test_privacy import _checkout_post, _track

pytestmark = pytest.mark.django_db


def test_terms_page_states_art_53_content_with_settings(client, mukena, settings):
    settings.COMPLAINT_WINDOW_DAYS = 9
    settings.COMPLAINT_ANSWER_DAYS = 4
    body = client.get("/syarat/").content.decode()
    assert terms.TERMS_VERSION in body
    facility = mukena.facility
    # The seller, with its details from the Facility row.
    assert facility.name in body and facility.address in body
    for words in (
        "Para pihak",
        "program pembinaan",
        "Rupiah",
        "Transfer bank",
        "Kirim lewat kurir",
        "risiko",
        "9 hari setelah barang diterima",
        "2 hari kerja",
        "UPT menjawab dalam 4 hari",
        "Kanwil",
        "BPSK",
        "pengadilan",
    ):
        assert words in body, words


def test_footer_and_checkout_link_the_terms(client, mukena):
    assert 'href="/syarat/"' in client.get("/").content.decode()
    client.post("/keranjang/tambah/", {"product": mukena.pk, "quantity": 1})
    page = client.get("/checkout/").content.decode()
    assert 'href="/syarat/"' in page
    assert "Saya menyetujui Syarat dan Ketentuan dan Kebijakan Privasi" in page


def test_checkout_without_agreement_places_nothing(client, mukena):
    client.get("/keranjang/")
    refused = _checkout_post(client, mukena, **{"p-agree": None})
    assert refused.status_code == 400
    assert "Setujui Syarat dan Ketentuan" in refused.content.decode()
    assert not Order.objects.exists()


def test_checkout_records_the_terms_version_shown_on_tracking_and_admin(
    client, admin_client, mukena
):
    client.get("/keranjang/")
    assert _checkout_post(client, mukena).status_code == 302
    order = Order.objects.get()
    assert order.terms_version == terms.TERMS_VERSION

    _track(client, order, phone="0812-3456-7890")
    detail = client.get(f"/lacak/{order.code}/").content.decode()
    assert f"Syarat dan Ketentuan versi {terms.TERMS_VERSION}" in detail

    admin = admin_client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert "versi syarat dan ketentuan" in admin.lower()
    assert terms.TERMS_VERSION in admin


def test_orders_placed_without_agreement_keep_no_version(mukena):
    # Seeds and older orders: the field stays null, not a made-up version.
    order = place([(mukena, 1)]).orders[0]
    order.refresh_from_db()
    assert order.terms_version is None
