"""Prices over the limits in core.money are refused with a message, never a 500.

Found on the served site: the staff quote form took a unit price of 10^19 and
answered 500 (`DataError: bigint out of range`, quotes/services.py), since
its price fields were plain IntegerFields with no upper bound.
"""

from datetime import timedelta

import pytest
from django.db import DataError, transaction
from django.urls import reverse
from django.utils import timezone

from quotes import services
from quotes.models import Quote, QuoteLine
from tests.factories import facility_staff
from tests.quotes.conftest import make_request, send_quote

pytestmark = pytest.mark.django_db
HUGE = 10**19


def _send_data(request, *, price, fee="250000"):
    today = timezone.localdate()
    data = {
        "step": "send",
        "delivery_method": "local",
        "delivery_fee": str(fee),
        "delivery_date": (today + timedelta(days=7)).isoformat(),
        "valid_until": (today + timedelta(days=14)).isoformat(),
        "terms": "before",
        "note": "",
    }
    for line in request.lines.all():
        data[f"price_{line.pk}"] = str(price)
    return data


@pytest.mark.parametrize(
    ("price", "fee", "message"),
    [
        (HUGE, "250000", "Nominal paling besar Rp 1.000.000.000"),
        (1_000_000_001, "250000", "Nominal paling besar Rp 1.000.000.000"),
        (85_000, str(HUGE), "Nominal paling besar Rp 1.000.000.000"),
        ("9" * 5000, "250000", "bilangan bulat"),  # past int()'s digit limit
    ],
)
def test_the_quote_form_refuses_a_price_over_the_limit(
    client, kendari, paving, price, fee, message
):
    request = make_request(kendari, [(paving, 120)])
    client.force_login(facility_staff(kendari))
    url = reverse("admin:quotes_quoterequest_change", args=[request.pk])
    response = client.post(url, _send_data(request, price=price, fee=fee))
    assert response.status_code == 200
    assert message in response.text
    assert not Quote.objects.exists()


def test_allowed_prices_whose_total_passes_the_limit_get_a_message(client, kendari, paving):
    # 120 m2 at Rp 1 miliar each: every price allowed, the total is not.
    request = make_request(kendari, [(paving, 120)])
    client.force_login(facility_staff(kendari))
    url = reverse("admin:quotes_quoterequest_change", args=[request.pk])
    response = client.post(url, _send_data(request, price=1_000_000_000), follow=True)
    assert response.status_code == 200
    assert "Total penawaran: Nominal paling besar Rp 10.000.000.000" in response.text
    assert not Quote.objects.exists()


def test_the_service_refuses_it_too(kendari, paving):
    request = make_request(kendari, [(paving, 120)])
    staff = facility_staff(kendari)
    line = request.lines.get()
    with pytest.raises(services.QuoteError, match="Harga satuan: Nominal paling besar"):
        send_quote(request, staff, prices={line.pk: HUGE})
    assert not Quote.objects.exists()
    assert send_quote(request, staff, prices={line.pk: 85_000}).total == 120 * 85_000 + 250_000


def test_control_the_database_itself_answers_such_a_price_with_an_error(kendari, paving):
    # What the form and the service now stop: bigint ends at 9.2 x 10^18.
    request = make_request(kendari, [(paving, 1)])
    quote = send_quote(request, facility_staff(kendari))
    with pytest.raises(DataError, match="out of range"), transaction.atomic():
        QuoteLine.objects.filter(quote=quote).update(unit_price=HUGE)
