"""Scope in the admin: staff answer their own facility's requests only; the
Kanwil reads its region's, read-only; nobody reaches another's by its id."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quotes.models import Quote
from tests.factories import FacilityFactory, facility_staff, regional_reviewer
from tests.orders.factories import ProductFactory
from tests.quotes.conftest import make_request

pytestmark = pytest.mark.django_db


def change_url(request):
    return reverse("admin:quotes_quoterequest_change", args=[request.pk])


def send_data(request, **prices):
    today = timezone.localdate()
    data = {
        "step": "send",
        "delivery_method": "local",
        "delivery_fee": "250000",
        "delivery_date": (today + timedelta(days=7)).isoformat(),
        "valid_until": (today + timedelta(days=14)).isoformat(),
        "terms": "after",
        "payment_terms_days": "30",
        "note": "Termasuk bongkar muat",
    }
    for line in request.lines.all():
        data[f"price_{line.pk}"] = str(prices.get(str(line.pk), 85_000))
    return data


@pytest.fixture
def two_requests(kendari, paving, other_facility):
    mine = make_request(kendari, [(paving, 120)])
    theirs_product = ProductFactory(facility=other_facility, stock=50)
    theirs = make_request(other_facility, [(theirs_product, 10)])
    return mine, theirs


def test_staff_answer_their_request_with_tier_prices_prefilled(client, kendari, two_requests):
    mine, _theirs = two_requests
    client.force_login(facility_staff(kendari))
    page = client.get(change_url(mine))
    line = mine.lines.get()
    assert page.status_code == 200
    assert f'name="price_{line.pk}"' in page.text and 'value="85000"' in page.text
    response = client.post(change_url(mine), send_data(mine))
    assert response.status_code == 302, response.text[:3000]
    quote = Quote.objects.get(request=mine)
    assert (quote.payment_terms_days, quote.total) == (30, 120 * 85_000 + 250_000)


def test_admin_form_shows_a_refused_term_at_its_field(client, kendari, two_requests):
    mine, _theirs = two_requests
    client.force_login(facility_staff(kendari))
    data = send_data(mine)
    data["valid_until"] = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(change_url(mine), data)
    assert response.status_code == 200
    assert "Tanggal berlaku penawaran tidak boleh sebelum hari ini" in response.text
    assert not Quote.objects.exists()


def test_staff_cannot_see_or_answer_another_facilitys_request(client, kendari, two_requests):
    _mine, theirs = two_requests
    client.force_login(facility_staff(kendari))
    changelist = client.get(reverse("admin:quotes_quoterequest_changelist"))
    assert theirs.code not in changelist.text
    assert client.get(change_url(theirs)).status_code == 404
    assert client.post(change_url(theirs), send_data(theirs)).status_code == 404
    assert not Quote.objects.exists()


def test_kanwil_reads_its_region_only_and_cannot_answer(client, region, kendari, two_requests):
    mine, theirs = two_requests
    client.force_login(regional_reviewer(region))
    page = client.get(change_url(mine))
    assert page.status_code == 200
    assert 'name="step"' not in page.text
    assert client.post(change_url(mine), send_data(mine)).status_code == 403
    assert client.get(change_url(theirs)).status_code == 404
    assert not Quote.objects.exists()


def test_staff_of_another_facility_in_the_same_region_is_refused_by_the_service(
    kendari, paving, region
):
    from quotes import services
    from tests.quotes.conftest import send_quote

    neighbour = FacilityFactory(region=region)
    request = make_request(kendari, [(paving, 10)])
    with pytest.raises(services.QuoteError, match="tidak berwenang"):
        send_quote(request, facility_staff(neighbour))
