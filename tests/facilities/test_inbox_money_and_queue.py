"""Issue 29's work for a person in the officer's inbox: a refund the gateway
cannot make reaches its facility's staff and head office (never another
facility's staff); a settlement-report line that matches nothing and a failed
background job reach head office alone."""

from __future__ import annotations

import pytest
from django.db import connection

from facilities.inbox import inbox_for
from facilities.scoping import scope_for
from orders.payments.models import GatewayRefund
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.factories import ProductFactory, shop
from tests.oversight.books_helpers import import_report, paid_checkout, report, report_row

pytestmark = pytest.mark.django_db


def _kinds(user):
    return {s.key: s for s in inbox_for(user, scope_for(user)).sections if s.count}


def _failed_job() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status, attempts)"
            " VALUES ('default', 'run_django_task',"
            " '{\"path\": \"orders.tasks.mail_status_changed\"}', 'failed', 1) RETURNING id"
        )
        job_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO procrastinate_events (job_id, type, at) VALUES (%s, 'failed', NOW())",
            [job_id],
        )
    return job_id


def test_money_and_failed_work_reach_the_right_people():
    facility = shop()
    result, payment = paid_checkout([(ProductFactory(facility=facility, price=90_000), 1)])
    order = result.orders[0]
    GatewayRefund.objects.create(
        payment=payment,
        order=order,
        amount=90_000,
        refund_key="inbox-test-1",
        reason="Dibatalkan",
        status=GatewayRefund.Status.MANUAL,
    )
    import_report(head_office_user(), report(report_row("KB-TIDAK-DIKENAL-1", 50_000)))
    job_id = _failed_job()

    national = _kinds(head_office_user())
    assert national["refunds_held"].items[0].title.startswith(order.code)
    assert national["settlement_lines"].count == 1
    assert national["failed_tasks"].items[0].title.startswith(f"#{job_id}")

    staff = _kinds(facility_staff(facility))
    assert staff["refunds_held"].count == 1
    assert "settlement_lines" not in staff and "failed_tasks" not in staff

    # Crossing: another facility's staff and a reviewer see none of it.
    assert not {"refunds_held", "settlement_lines", "failed_tasks"} & set(
        _kinds(facility_staff(shop()))
    )
    assert not {"settlement_lines", "failed_tasks"} & set(
        _kinds(regional_reviewer(facility.region))
    )
