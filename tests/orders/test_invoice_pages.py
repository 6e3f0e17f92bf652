"""Who opens the printed invoice and delivery note, and what they show.

The shopper opens them from the tracking page (code + phone, remembered in the
session); anyone else gets the wrong-code answer. Staff open them from the
admin order page within their scope; across it, the same 404 as the order.
"""

import re

import pytest
from django.urls import reverse

from core.money import format_rupiah
from core.terbilang import rupiah_terbilang
from orders import services
from orders.documents.models import Invoice
from orders.models import Order, OrderStatus
from orders.privacy.models import AccessEvent
from tests.factories import (
    FacilityFactory,
    RegionFactory,
    facility_staff,
    head_office_user,
    regional_reviewer,
)
from tests.orders.factories import JAKARTA, place
from tests.orders.test_invoices import NPWP, _order_in
from tests.orders.test_views import _tracking, msgs

pytestmark = pytest.mark.django_db

S = OrderStatus
REFUSAL = "Kode pesanan atau nomor HP tidak cocok."


def _without_tokens(html: str) -> str:
    """The page minus what differs on every render or every path: the CSRF
    token and the language switch's way back to the page asked for."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'name="next" type="hidden" value="[^"]*"', "", html)


@pytest.fixture
def shipped_to_an_office(mukena):
    order = place([(mukena, 2)], delivery="courier", address=JAKARTA).orders[0]
    Order.objects.filter(pk=order.pk).update(
        status=S.PROCESSING,
        payment_terms_days=14,
        buyer_organisation="Kantor Kecamatan Tebet",
        buyer_npwp=NPWP,
    )
    services.order_ship(order=order, actor=head_office_user(), courier="JNE", tracking_number="J9")
    return Order.objects.get(pk=order.pk)


# --- the shopper -------------------------------------------------------------------


def test_shopper_opens_the_invoice_from_the_tracking_page(client, shipped_to_an_office):
    order = shipped_to_an_office
    _tracking(client, order)
    page = client.get(f"/lacak/{order.code}/").content.decode()
    assert f'href="/lacak/{order.code}/faktur/"' in page
    assert f'href="/lacak/{order.code}/surat-jalan/"' in page
    response = client.get(f"/lacak/{order.code}/faktur/")
    assert response.status_code == 200
    html = response.content.decode()
    invoice = Invoice.objects.get(order=order)
    for text in (
        invoice.number,
        "Lapas Perempuan Palembang Uji",  # the seller
        "Jl. Pemasyarakatan No. 1",
        "Kantor Kecamatan Tebet",
        "01.312.166.0-091.000",
        "Jl. Tebet Raya No. 5",
        "Rp 350.000",
        format_rupiah(order.shipping_fee),  # the courier fee
        format_rupiah(order.total),
        "Terbilang",
        "Tempo 14 hari setelah barang diterima",
        order.code,
    ):
        assert text in html, text
    assert rupiah_terbilang(order.total).capitalize() in html
    assert "no-store" in response["Cache-Control"]
    assert "Bank BRI" in html  # on terms: where to transfer


def test_delivery_note_has_quantities_and_signatures_but_no_prices(client, shipped_to_an_office):
    order = shipped_to_an_office
    _tracking(client, order)
    html = client.get(f"/lacak/{order.code}/surat-jalan/").content.decode()
    assert "Surat Jalan" in html and f"SJ/{order.facility_id}/{order.code}" in html
    assert "Mukena Bordir" in html and ">2<" in html
    assert "Rp " not in html and "Terbilang" not in html
    assert "Penerima" in html and "Pengirim (UPT)" in html
    assert "JNE" in html and "J9" in html


def test_a_wrong_or_untracked_code_gets_the_wrong_code_answer(client, shipped_to_an_office):
    order = shipped_to_an_office
    wrong = client.post("/lacak/", {"code": "AAAAAAAAAA", "phone": "081234567890"})
    assert wrong.status_code == 404
    answers = []
    for path in (
        f"/lacak/{order.code}/faktur/",  # a real order this session never matched
        f"/lacak/{order.code}/surat-jalan/",
        "/lacak/AAAAAAAAAA/faktur/",  # no such order
    ):
        response = client.get(path)
        assert response.status_code == 404 and REFUSAL in response.content.decode(), path
        answers.append(_without_tokens(response.content.decode()))
    assert len(set(answers)) == 1
    assert _without_tokens(wrong.content.decode()) == answers[0]
    assert order.code not in answers[0] and "Kantor Kecamatan" not in answers[0]


def test_another_orders_session_does_not_open_this_invoice(client, mukena, shipped_to_an_office):
    mine = _order_in(S.PAID, mukena)
    _tracking(client, mine)
    assert client.get(f"/lacak/{mine.code}/faktur/").status_code == 200
    response = client.get(f"/lacak/{shipped_to_an_office.code}/faktur/")
    assert response.status_code == 404 and REFUSAL in response.content.decode()


def test_before_payment_the_shopper_is_told_when_the_invoice_comes(client, mukena):
    order = place([(mukena, 1)]).orders[0]
    _tracking(client, order)
    assert "/faktur/" not in client.get(f"/lacak/{order.code}/").content.decode()
    response = client.get(f"/lacak/{order.code}/faktur/")
    assert response.status_code == 302 and response["Location"] == f"/lacak/{order.code}/"
    assert "Faktur terbit setelah pembayaran dikonfirmasi" in msgs(response)
    assert not Invoice.objects.exists()
    assert client.get(f"/lacak/{order.code}/surat-jalan/").status_code == 302


# --- staff -------------------------------------------------------------------------


def _urls(order):
    return [
        reverse("admin:orders_order_invoice", args=[order.pk]),
        reverse("admin:orders_order_delivery_note", args=[order.pk]),
    ]


def test_staff_in_scope_print_both_documents(client, shipped_to_an_office):
    order = shipped_to_an_office
    facility = order.facility
    for user in (
        facility_staff(facility),
        regional_reviewer(facility.region),
        head_office_user(),
    ):
        client.force_login(user)
        for url in _urls(order):
            response = client.get(url)
            assert response.status_code == 200, (user, url)
        assert (
            Invoice.objects.get(order=order).number in client.get(_urls(order)[0]).content.decode()
        )
    assert AccessEvent.objects.filter(action=AccessEvent.Action.PRINTED).count() >= 6
    change = client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert _urls(order)[0] in change and _urls(order)[1] in change
    assert f"Faktur {Invoice.objects.get(order=order).number}" in change


def test_staff_of_another_facility_or_region_get_nothing(client, shipped_to_an_office):
    order = shipped_to_an_office
    same_region_other_facility = FacilityFactory(region=order.facility.region)
    for user in (
        facility_staff(same_region_other_facility),
        regional_reviewer(RegionFactory()),
    ):
        client.force_login(user)
        for url in _urls(order):
            assert client.get(url).status_code == 404, (user, url)
    assert not AccessEvent.objects.filter(action=AccessEvent.Action.PRINTED).exists()


def test_before_billing_staff_print_an_unnumbered_bill(client, mukena):
    order = place([(mukena, 1)]).orders[0]
    client.force_login(facility_staff(order.facility))
    html = client.get(_urls(order)[0]).content.decode()
    assert "Tagihan" in html and "BELUM DIBAYAR" in html and "INV/" not in html
    assert "Berita transfer" in html and "Bank BRI" in html
    assert not Invoice.objects.exists()


def test_the_document_query_count_does_not_grow_with_lines(
    client, mukena, django_assert_max_num_queries
):
    from tests.orders.factories import ProductFactory

    def order_of(n):
        products = [ProductFactory(facility=mukena.facility, stock=5) for _ in range(n)]
        order = place([(p, 1) for p in products]).orders[0]
        services.order_confirm_payment(order=order, actor=head_office_user())
        return order

    small, big = order_of(1), order_of(8)
    client.force_login(head_office_user())
    counts = []
    for order in (small, big):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(_urls(order)[1]).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_an_order_cancelled_after_billing_still_links_its_invoice(client, mukena):
    order = _order_in(S.PAID, mukena)
    services.order_cancel(order=order, actor=head_office_user(), reason="stok rusak")
    _tracking(client, order)
    assert (
        f'href="/lacak/{order.code}/faktur/"'
        in client.get(f"/lacak/{order.code}/").content.decode()
    )
    html = client.get(f"/lacak/{order.code}/faktur/").content.decode()
    assert "DIBATALKAN" in html and Invoice.objects.get(order=order).number in html
