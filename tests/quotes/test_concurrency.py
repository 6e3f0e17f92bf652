"""Two taps on "accept" at once make one order (real threads and row locks).

The control switches the request lock off: the second accept then gets past
the checks and only the database's uniqueness stops a second order, as an
IntegrityError (a 500 for the buyer) instead of a clear answer."""

import time

import pytest
from django.db import IntegrityError

from catalog.models import Product
from orders.models import Checkout, Order
from quotes import services
from quotes.models import QuoteRequest
from tests.factories import facility_staff
from tests.orders.concurrency_helpers import run_together
from tests.quotes.conftest import make_request, send_quote

pytestmark = pytest.mark.django_db(transaction=True)


def _accepted_quote(kendari, paving):
    request = make_request(kendari, [(paving, 120)])
    quote = send_quote(request, facility_staff(kendari))
    return request, quote


def _accept(request_pk, quote_pk):
    return services.quote_accept(request=QuoteRequest.objects.get(pk=request_pk), quote_id=quote_pk)


def test_double_accept_makes_one_order_and_takes_stock_once(kendari, paving):
    request, quote = _accepted_quote(kendari, paving)
    results = run_together([lambda: _accept(request.pk, quote.pk) for _ in range(4)])
    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, services.QuoteError)]
    assert len(orders) == 1 and len(refused) == 3, results
    assert all("sudah disetujui" in str(r) for r in refused)
    assert Order.objects.count() == 1 and Checkout.objects.count() == 1
    assert Product.objects.get(pk=paving.pk).stock == 500 - 120


def test_without_the_request_lock_the_second_accept_is_not_refused_cleanly(
    kendari, paving, monkeypatch
):
    def read_without_locking(pk):
        found = QuoteRequest.objects.get(pk=pk)
        time.sleep(0.3)  # both read "not accepted yet" before either commits
        return found

    monkeypatch.setattr(services, "_lock_request", read_without_locking)
    request, quote = _accepted_quote(kendari, paving)
    results = run_together([lambda: _accept(request.pk, quote.pk) for _ in range(2)])
    assert any(isinstance(r, IntegrityError) for r in results), results
    # The database's uniqueness is the backstop: still one order.
    assert Order.objects.count() == 1
