"""The Kanwil's view of its facilities (oversight.timeliness): work done on
time and late this month, per facility, from each kind's own deadline rule,
on the dashboard and in its XLSX; never another region's facilities."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from catalog.models import ListingReview
from complaints.models import Complaint, ComplaintStatus
from facilities.scoping import scope_for
from orders.models import OrderEvent, OrderStatus
from orders.privacy.models import PrivacyRequest
from oversight.timeliness import timeliness
from tests.factories import (
    FacilityFactory,
    ProductFactory,
    head_office_user,
    make_order,
    regional_reviewer,
)

pytestmark = pytest.mark.django_db


def _done(facility, *, late: bool):
    """One piece of each kind of work, done just now, late or on time."""
    now = timezone.now()
    waited = timedelta(days=6) if late else timedelta(hours=5)
    product = ProductFactory(facility=facility)
    submit = ListingReview.objects.create(product=product, action=ListingReview.Action.SUBMIT)
    ListingReview.objects.filter(pk=submit.pk).update(created_at=now - waited)
    ListingReview.objects.create(product=product, action=ListingReview.Action.APPROVE)

    order = make_order(
        facility, status=OrderStatus.SHIPPED, lines=[(product, 1)], status_since=now - waited
    )
    OrderEvent.objects.filter(order=order).update(to_status=OrderStatus.PAID)
    OrderEvent.objects.create(
        order=order, actor_label="staff", from_status="processing", to_status="shipped"
    )
    Complaint.objects.create(
        order=order,
        facility=facility,
        status=ComplaintStatus.ANSWERED,
        reason="late",
        description="x",
        remedy_wanted="replacement",
        answer_due_at=now - timedelta(hours=1) if late else now + timedelta(days=2),
        answered_at=now,
    )
    PrivacyRequest.objects.create(
        order=order,
        kind=PrivacyRequest.Kind.DELETION,
        status=PrivacyRequest.Status.DONE,
        created_at=now - waited,
        due_at=now - waited + timedelta(hours=72),
        handled_at=now,
    )


def test_on_time_and_late_per_facility_of_the_region(facility):
    neighbour = FacilityFactory(region=facility.region)
    elsewhere = FacilityFactory()
    _done(facility, late=True)
    _done(neighbour, late=False)
    _done(elsewhere, late=True)
    reviewer = regional_reviewer(facility.region)
    rows = {row.id: row for row in timeliness(scope_for(reviewer))}
    assert set(rows) == {facility.pk, neighbour.pk}  # never another region's
    assert rows[facility.pk].cells == [(0, 1)] * 4
    assert rows[neighbour.pk].cells == [(1, 0)] * 4
    national = {row.id: row for row in timeliness(scope_for(head_office_user()), by="region")}
    assert national[facility.region_id].cells == [(1, 1)] * 4
    assert national[elsewhere.region_id].cells == [(0, 1)] * 4


def test_dashboard_and_xlsx_show_it(client, facility):
    _done(facility, late=True)
    client.force_login(regional_reviewer(facility.region))
    page = client.get("/admin/").content.decode()
    assert 'id="kb-timeliness"' in page and "1 terlambat" in page
    response = client.get("/admin/laporan/ketepatan-waktu.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "UPT" and rows[0][1].endswith("tepat waktu")
    assert rows[1] == (facility.name, 0, 1, 0, 1, 0, 1, 0, 1)
