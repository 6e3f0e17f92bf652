"""Receivables on the facility's and the Kanwil's dashboards; the sales report
separates retail and institutional sales and shows open quotes and receivables."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders import services as order_services
from orders.models import Order
from orders.states import is_receivable
from oversight import selectors
from quotes import services
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.factories import ProductFactory, place, shop
from tests.quotes.conftest import make_request, send_quote

pytestmark = pytest.mark.django_db


def delivered_on_terms(facility, product, quantity, *, days=30, due_days_ago=None):
    staff = facility_staff(facility)
    request = make_request(facility, [(product, quantity)])
    quote = send_quote(request, staff, terms=days)
    order = services.quote_accept(request=request, quote_id=quote.pk)
    order_services.order_ship(order=order, actor=staff, courier="", tracking_number="")
    order_services.order_complete(order=order, actor=staff)
    if due_days_ago is not None:
        Order.objects.filter(pk=order.pk).update(
            payment_due_date=timezone.localdate() - timedelta(days=due_days_ago)
        )
    order.refresh_from_db()
    return order


def test_receivable_filter_matches_the_state_rule(kendari, paving):
    order = delivered_on_terms(kendari, paving, 100)
    retail = place([(paving, 1)])
    rows = {o.pk for o in Order.objects.filter(selectors.receivable_q())}
    for candidate in (order, retail.orders[0]):
        assert (candidate.pk in rows) == is_receivable(
            candidate.status, candidate.payment_terms_days, candidate.paid_at
        )


def test_overdue_receivable_shows_on_facility_and_kanwil_dashboards_until_paid(
    client, region, kendari, paving, other_facility
):
    overdue = delivered_on_terms(kendari, paving, 100, due_days_ago=3)
    not_yet = delivered_on_terms(kendari, paving, 10)
    staff = facility_staff(kendari)
    client.force_login(staff)
    page = client.get("/admin/")
    summary = page.context["receivables"]
    assert (summary.count, summary.overdue_count) == (2, 1)
    assert summary.overdue_amount == overdue.total
    assert overdue.code in page.text and not_yet.code not in page.text

    client.force_login(regional_reviewer(region))
    assert overdue.code in client.get("/admin/").text
    # Another region's Kanwil sees none of it.
    client.force_login(regional_reviewer(other_facility.region))
    page = client.get("/admin/")
    assert overdue.code not in page.text and page.context["receivables"].count == 0

    order_services.order_confirm_payment(order=overdue, actor=staff)
    client.force_login(staff)
    page = client.get("/admin/")
    assert overdue.code not in page.text and page.context["receivables"].count == 1


def test_receivable_payment_is_offered_as_the_next_step_in_the_order_page(client, kendari, paving):
    order = delivered_on_terms(kendari, paving, 100)
    staff = facility_staff(kendari)
    client.force_login(staff)
    url = f"/admin/orders/order/{order.pk}/change/"
    assert "confirm_payment" in client.get(url).text
    other = facility_staff(shop())
    with pytest.raises(order_services.OrderError):
        order_services.order_confirm_payment(order=order, actor=other)
    order.refresh_from_db()
    assert order.paid_at is None


def test_sales_report_separates_retail_and_institutional_and_shows_quotes(
    client, region, kendari, paving
):
    delivered_on_terms(kendari, paving, 100, due_days_ago=1)  # 100 × 85.000 institutional
    retail = place([(paving, 2)])  # 2 × 95.000 retail, paid below
    order_services.order_confirm_payment(order=retail.orders[0], actor=facility_staff(kendari))
    open_request = make_request(kendari, [(paving, 5)])
    send_quote(open_request, facility_staff(kendari))
    client.force_login(head_office_user())
    page = client.get("/admin/laporan/penjualan/", {"region": region.pk})
    assert page.status_code == 200, page.text[:500]
    split = page.context["totals"]
    assert (split["retail_orders"], split["retail_revenue"]) == (1, 190_000)
    assert (split["institutional_orders"], split["institutional_revenue"]) == (1, 8_500_000)
    row = page.context["institutional"][0]["row"]
    assert (row.quotes_out, row.receivables, row.overdue) == (1, 1, 1)
    assert 'id="institutional"' in page.text and 'id="channel-split"' in page.text


def test_report_figures_stay_in_the_reviewers_region(client, kendari, paving):
    delivered_on_terms(kendari, paving, 100, due_days_ago=1)
    elsewhere = shop()
    ProductFactory(facility=elsewhere)
    client.force_login(regional_reviewer(elsewhere.region))
    page = client.get("/admin/laporan/penjualan/")
    assert page.context["institutional"] == []
