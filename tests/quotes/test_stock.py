"""Quotes know stock and lead time: a quantity over stock is flagged on the
buyer's request form and the staff's quote form and needs a ready date
("siap dikirim tanggal"); a quote with one is ordered as made to order; a
quote that can no longer be filled says why and offers a new version in one tap."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product
from quotes import requote, services
from quotes.models import Quote, QuoteRequest, QuoteStatus, RequestStatus
from tests.factories import facility_staff
from tests.orders.factories import ProductFactory
from tests.quotes.conftest import buyer, delivery, make_request, send_quote
from tests.quotes.test_admin_scope import change_url, send_data
from tests.quotes.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def bags(kendari):
    """Eight knitted bags on the shelf, as in the issue (40 asked)."""
    return ProductFactory(facility=kendari, name="Tas Rajut", price=150_000, stock=8)


def _stock(product):
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def _later(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_request_form_warns_at_the_line_and_asks_for_a_ready_date(client, bags):
    url = reverse("quotes:request") + f"?product={bags.slug}"
    assert "stok 8" in client.get(url).text  # stock shown before anything is typed
    assert 'name="ready_by"' not in client.get(url).text
    response = client.post(url, form_data(bags, **{f"qty_{bags.pk}": "40"}))
    assert response.status_code == 200 and not QuoteRequest.objects.exists()
    text = response.text
    warning = "Stok Tas Rajut saat ini 8 pcs; 40 pcs melebihi stok."
    assert text.count(warning) == 2  # at the top and at the field
    assert 'name="ready_by"' in text and "Isi tanggal siap dikirim" in text
    # With the date the request goes through and keeps it.
    response = client.post(url, form_data(bags, **{f"qty_{bags.pk}": "40", "ready_by": _later(15)}))
    assert response.status_code == 302
    assert QuoteRequest.objects.get().ready_by.isoformat() == _later(15)


def test_within_stock_needs_no_ready_date(client, bags):
    url = reverse("quotes:request") + f"?product={bags.slug}"
    assert client.post(url, form_data(bags, **{f"qty_{bags.pk}": "8"})).status_code == 302


def test_the_service_refuses_over_stock_without_a_date(kendari, bags):
    kwargs = {"facility_id": kendari.pk, "items": [(bags.pk, 40)], "buyer": buyer(), "notes": ""}
    with pytest.raises(ValidationError, match="siap dikirim"):
        services.request_submit(delivery=delivery(), **kwargs)
    ready = timezone.localdate() + timedelta(days=60)  # after needed_by (30 days)
    with pytest.raises(ValidationError, match="tidak boleh setelah"):
        services.request_submit(delivery=delivery(), ready_by=ready, **kwargs)


def test_staff_form_warns_and_requires_the_ready_date(client, kendari, bags):
    quote_request = make_request(kendari, [(bags, 8)])
    quote_request.lines.update(quantity=40)  # asked before the stock was sold
    client.force_login(facility_staff(kendari))
    page = client.get(change_url(quote_request)).text
    assert "melebihi stok" in page and 'name="ready_date"' in page
    response = client.post(change_url(quote_request), send_data(quote_request))
    assert response.status_code == 200 and not Quote.objects.exists()
    assert "Isi tanggal siap dikirim" in response.text
    data = send_data(quote_request) | {"ready_date": _later(5)}
    assert client.post(change_url(quote_request), data).status_code == 302
    assert Quote.objects.get().ready_date.isoformat() == _later(5)


def test_a_quote_with_a_ready_date_is_ordered_as_made_to_order(client, kendari, bags):
    quote_request = make_request(kendari, [(bags, 8)])
    quote_request.lines.update(quantity=40)
    today = timezone.localdate()
    quote = services.quote_send(
        request=quote_request,
        actor=facility_staff(kendari),
        unit_prices=services.suggested_prices(quote_request),
        delivery_method="local",
        delivery_fee=0,
        delivery_date=today + timedelta(days=20),
        ready_date=today + timedelta(days=15),
        valid_until=today + timedelta(days=14),
        payment_terms_days=None,
    )
    page = client.get(reverse("quotes:detail", args=[quote_request.token])).text
    assert 'data-testid="accept"' in page and 'data-testid="quote-ready"' in page
    order = services.quote_accept(request=quote_request, quote_id=quote.pk)
    line = order.lines.get()
    assert (line.quantity, line.made_to_order) == (40, True)
    assert _stock(bags) == 8  # the shelf is untouched; the facility makes 40


def test_a_quote_no_longer_filled_says_why_and_asks_again_in_one_tap(client, kendari, bags):
    quote_request = make_request(kendari, [(bags, 6)])
    quote = send_quote(quote_request, facility_staff(kendari), fee=0)
    Product.objects.filter(pk=bags.pk).update(stock=2)  # sold in the shop meanwhile
    detail = reverse("quotes:detail", args=[quote_request.token])
    page = client.get(detail).text
    assert "Stok Tas Rajut tinggal 2 pcs, penawaran ini 6 pcs." in page
    assert 'data-testid="requote"' in page and 'data-testid="accept"' not in page
    # A stale page's "Setujui" gets the reason too, in Indonesian.
    response = client.post(
        reverse("quotes:accept", args=[quote_request.token]), {"quote": quote.pk}, follow=True
    )
    assert "tidak bisa dipenuhi lagi" in response.text and "Stok Tas Rajut" in response.text
    # One tap: a change request that names the shortage.
    response = client.post(
        reverse("quotes:requote", args=[quote_request.token]), {"quote": quote.pk}, follow=True
    )
    assert "Permintaan versi baru terkirim" in response.text
    quote.refresh_from_db()
    quote_request.refresh_from_db()
    assert quote.status == QuoteStatus.CHANGE_REQUESTED
    assert quote_request.status == RequestStatus.CHANGE_REQUESTED
    assert "tinggal 2 pcs" in quote.buyer_note


def test_control_a_quote_that_can_be_filled_is_not_requoted(kendari, bags):
    quote_request = make_request(kendari, [(bags, 6)])
    quote = send_quote(quote_request, facility_staff(kendari), fee=0)
    with pytest.raises(services.QuoteError, match="masih bisa dipenuhi"):
        requote.quote_requote(request=quote_request, quote_id=quote.pk)
    order = services.quote_accept(request=quote_request, quote_id=quote.pk)
    assert order.lines.get().made_to_order is False and _stock(bags) == 2
