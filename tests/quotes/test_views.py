"""The buyer's pages: the request form, the private link, accept and change."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from quotes.models import QuoteRequest, QuoteStatus, RequestStatus
from tests.factories import facility_staff
from tests.quotes.conftest import VALID_NPWP, make_request, send_quote

pytestmark = pytest.mark.django_db


def form_data(paving, **overrides):
    data = {
        "buyer_organisation": "Dinas PUPR Kota Kendari",
        "buyer_npwp": "01.312.166.0-091.000",
        "contact_name": "Budi Santoso",
        "contact_phone": "0812 3456 7890",
        "contact_email": "pupr@example.go.id",
        "province": "Sulawesi Tenggara",
        "city": "Kendari",
        "street": "Jl. Ahmad Yani No. 1",
        "needed_by": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "notes": "Warna abu-abu",
        f"qty_{paving.pk}": "150",
    }
    data.update(overrides)
    return data


def test_product_page_and_storefront_link_to_the_request_form(client, paving, kendari):
    url = reverse("quotes:request")
    assert f"{url}?product={paving.slug}" in client.get(paving.get_absolute_url()).text
    assert f"{url}?facility={kendari.slug}" in client.get(kendari.get_absolute_url()).text


def test_request_form_prefills_the_chosen_product_and_lists_the_facilitys(client, paving, kanstin):
    page = client.get(reverse("quotes:request"), {"product": paving.slug})
    assert page.status_code == 200
    assert f'name="qty_{paving.pk}"' in page.text and f'name="qty_{kanstin.pk}"' in page.text
    assert "m²" in page.text


def test_unknown_product_or_facility_is_404(client, db):
    assert client.get(reverse("quotes:request"), {"product": "tidak-ada"}).status_code == 404
    assert client.get(reverse("quotes:request"), {"facility": "tidak-ada"}).status_code == 404


def test_request_is_recorded_and_the_buyer_lands_on_the_private_page(
    client, paving, kendari, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{reverse('quotes:request')}?product={paving.slug}", form_data(paving)
        )
    request = QuoteRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quotes:detail", args=[request.token])
    assert request.buyer_npwp == VALID_NPWP and request.contact_phone == "+6281234567890"
    assert request.lines.get().quantity == 150
    # The facility hears of it (a task, run at once in tests).
    assert [m.to for m in mailoutbox] == [[kendari.email]]
    page = client.get(response["Location"])
    assert request.code in page.text and page["Cache-Control"].startswith("max-age=0")
    assert page["Referrer-Policy"] == "same-origin"


def test_bad_npwp_is_refused_at_the_top_and_at_the_field(client, paving):
    response = client.post(
        f"{reverse('quotes:request')}?product={paving.slug}",
        form_data(paving, buyer_npwp="01.312.167.0-091.000"),
    )
    assert response.status_code == 200
    assert response.text.count("NPWP tidak valid") == 2  # summary and field
    assert 'href="#id_buyer_npwp"' in response.text
    assert not QuoteRequest.objects.exists()


def test_no_quantity_is_refused(client, paving):
    response = client.post(
        f"{reverse('quotes:request')}?product={paving.slug}",
        form_data(paving, **{f"qty_{paving.pk}": ""}),
    )
    assert "Isi jumlah untuk sedikitnya satu produk" in response.text


def test_request_form_is_rate_limited(client, paving, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "quote": {"per_session": 2, "per_address": 50, "window": 3600},
    }
    url = f"{reverse('quotes:request')}?product={paving.slug}"
    codes = [client.post(url, form_data(paving)).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert QuoteRequest.objects.count() == 2


def test_forged_link_is_404_and_reveals_nothing(client, kendari, paving):
    request = make_request(kendari, [(paving, 10)])
    forged = request.token[:-1] + ("A" if request.token[-1] != "A" else "B")
    for url in (
        reverse("quotes:detail", args=[forged]),
        reverse("quotes:detail", args=[request.code]),
        reverse("quotes:detail", args=["x" * 200]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert request.buyer_organisation not in response.text
    assert client.post(reverse("quotes:accept", args=[forged]), {"quote": 1}).status_code == 404
    assert client.post(reverse("quotes:change", args=[forged]), {"quote": 1}).status_code == 404


def test_buyer_accepts_by_the_link_once(client, kendari, paving):
    request = make_request(kendari, [(paving, 120)])
    quote = send_quote(request, facility_staff(kendari), terms=30)
    page = client.get(reverse("quotes:detail", args=[request.token]))
    assert "Rp10.450.000" in page.text.replace(".", ".") or "10.450.000" in page.text
    assert "30 hari setelah barang diterima" in page.text
    accept = reverse("quotes:accept", args=[request.token])
    client.post(accept, {"quote": quote.pk})
    again = client.post(accept, {"quote": quote.pk}, follow=True)
    assert "sudah disetujui" in again.text
    assert Order.objects.count() == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED and request.order.code in again.text
    # Where to pay, until it is paid.
    account = kendari.bank_accounts.get()
    assert account.account_number in again.text


def test_buyer_asks_for_a_change(client, kendari, paving):
    request = make_request(kendari, [(paving, 120)])
    quote = send_quote(request, facility_staff(kendari))
    client.post(
        reverse("quotes:change", args=[request.token]),
        {"quote": quote.pk, "note": "Mohon ongkos kirim dikurangi"},
    )
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.CHANGE_REQUESTED
    assert quote.buyer_note == "Mohon ongkos kirim dikurangi"


def test_expired_quote_page_says_so_and_offers_no_accept(client, kendari, paving):
    request = make_request(kendari, [(paving, 120)])
    quote = send_quote(request, facility_staff(kendari))
    quote.valid_until = timezone.localdate() - timedelta(days=1)
    quote.save()
    page = client.get(reverse("quotes:detail", args=[request.token]))
    assert "sudah kedaluwarsa" in page.text and 'data-testid="accept"' not in page.text
