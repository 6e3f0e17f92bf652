"""The Kanwil and head-office dashboards show complaints and refunds in scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import Complaint
from facilities.scoping import scope_for
from orders.models import OrderStatus
from orders.payments.services.order_refunds import order_refund_record
from oversight.complaints import complaint_overview
from tests.factories import head_office_user, regional_reviewer
from tests.orders.factories import ProductFactory
from tests.orders.test_services import _order_in


def _complaint(order):
    return services.complaint_open(
        order=order,
        line_ids=[order.lines.get().pk],
        reason="late",
        description="terlambat",
        remedy="replacement",
    )


@pytest.fixture
def two(mukena, raha):
    a = _order_in(OrderStatus.COMPLETED, mukena)[0]
    b = _order_in(OrderStatus.COMPLETED, ProductFactory(facility=raha, price=90_000, stock=3))[0]
    return a, b


def test_overview_buckets_scope_and_refunds(two, palembang, raha):
    a, b = two
    old = _complaint(a)
    Complaint.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    _complaint(b)
    services.complaint_escalate_overdue(now=timezone.now() + timedelta(days=30))
    order_refund_record(order=a, amount=25_000, reason="x", refund_key="d1")

    national = complaint_overview(scope_for(head_office_user()))
    assert national.open_total == 2 and national.escalated_waiting == 2
    assert [count for _label, count in national.buckets] == [1, 0, 1, 0]
    assert national.refunds_amount == 25_000
    # The Kanwil of Palembang's region sees only its facility.
    assert palembang.region_id != raha.region_id
    regional = complaint_overview(scope_for(regional_reviewer(palembang.region)))
    assert regional.open_total == 1
    assert [r["facility__name"] for r in regional.by_facility] == [palembang.name]
    assert regional.refunds_amount == 25_000
    other = complaint_overview(scope_for(regional_reviewer(raha.region)))
    assert other.refunds_amount == 0


def test_dashboard_page_shows_the_panel(client, two):
    _complaint(two[0])
    client.force_login(head_office_user())
    page = client.get("/admin/").content.decode()
    assert 'id="complaints-panel"' in page and "1 keluhan terbuka" in page
