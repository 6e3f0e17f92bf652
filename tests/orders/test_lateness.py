"""One late-order rule (orders.lateness): the officer's to-do list and
inbox, the facility dashboard's overdue orders and the Kanwil's stuck
counts used to define "late" three ways (OVERDUE_AFTER, STUCK_AFTER,
_overdue_q) and disagreed (a ready-stock order 3 days in processing was
late on the to-do list, not yet stuck for the Kanwil; a paid order
waiting a day was overdue for the facility if it was placed 3 days ago).
Each case here is asked of every reader, which must agree."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from orders import lateness, selectors
from orders.models import Order, OrderStatus, PaymentProof
from oversight.selectors import common as oversight_common
from oversight.selectors import facility as oversight_facility
from tests.factories import FacilityFactory, ProductFactory, make_order

pytestmark = pytest.mark.django_db
S = OrderStatus
DAY = timedelta(days=1)

# (name, status, courier?, days in status, days since placed, lead days,
#  payment deadline in days from now, receipt waiting, late?)
CASES = [
    ("paid an hour ago", S.PAID, True, 0.04, 3, None, None, False, False),
    ("paid three days ago", S.PAID, True, 3, 3, None, None, False, True),
    ("ready stock, 3 days processing", S.PROCESSING, True, 3, 4, None, None, False, True),
    ("made to order, within its promise", S.PROCESSING, True, 10, 10, 30, None, False, False),
    ("made to order, past its promise", S.PROCESSING, True, 10, 40, 30, None, False, True),
    ("pickup being made ready, 3 days", S.PROCESSING, False, 3, 3, None, None, False, True),
    ("at the showroom 5 days", S.READY_FOR_PICKUP, False, 5, 6, None, None, False, False),
    ("at the showroom 8 days", S.READY_FOR_PICKUP, False, 8, 9, None, None, False, True),
    ("shipped 10 days", S.SHIPPED, True, 10, 12, None, None, False, False),
    ("shipped 15 days", S.SHIPPED, True, 15, 17, None, None, False, True),
    ("unpaid, deadline ahead", S.AWAITING_PAYMENT, True, 0.5, 0.5, None, 1, False, False),
    ("unpaid, past deadline", S.AWAITING_PAYMENT, True, 2, 2, None, -0.1, False, True),
    ("receipt waiting 2 days", S.AWAITING_PAYMENT, True, 2, 2, None, 1, True, True),
    ("completed long ago", S.COMPLETED, True, 30, 31, None, None, False, False),
]


@pytest.fixture
def orders():
    facility = FacilityFactory()
    now = timezone.now()
    made = {}
    for name, status, courier, in_status, placed, lead, deadline, receipt, _late in CASES:
        product = ProductFactory(
            facility=facility, made_to_order=lead is not None, lead_time_days=lead, stock=50
        )
        order = make_order(
            facility,
            status=status,
            lines=[(product, 1)],
            shipping=20_000 if courier else 0,
            created_at=now - placed * DAY,
            status_since=now - in_status * DAY,
            payment_deadline=now + deadline * DAY if deadline is not None else None,
        )
        if receipt:
            PaymentProof.objects.create(order=order, file="r/x.jpg", content_type="image/jpeg")
        made[name] = order.pk
    return now, made


def _names(made, pks):
    by_pk = {pk: name for name, pk in made.items()}
    return {by_pk[pk] for pk in pks}


def test_every_reader_agrees_with_the_one_rule(orders):
    now, made = orders
    expected = {name for name, *_rest, late in CASES if late}
    annotated = lateness.annotate_lateness(Order.objects.filter(pk__in=made.values()))

    in_sql = set(annotated.filter(lateness.late_q(now)).values_list("pk", flat=True))
    in_python = {o.pk for o in annotated if lateness.is_late(o, now)}
    kanwil = set(annotated.filter(oversight_common._stuck_q(now)).values_list("pk", flat=True))
    inbox = set(annotated.filter(selectors.order_step_late(now)).values_list("pk", flat=True))
    assert _names(made, in_sql) == expected
    assert in_python == in_sql and kanwil == in_sql and inbox == in_sql

    # The facility dashboard and the to-do list read only what waits on staff.
    staff_work = {n for n, status, *_r, receipt, _l in CASES if status != S.SHIPPED}
    staff_work -= {"completed long ago"}
    open_rows = lateness.annotate_lateness(
        Order.objects.filter(pk__in=made.values(), status__in=list(lateness.LATE_AFTER))
    ).exclude(status=S.SHIPPED)
    facility = set(
        open_rows.filter(oversight_facility._overdue_q(now)).values_list("pk", flat=True)
    )
    assert _names(made, facility) == expected & staff_work
    todo = selectors.orders_todo(
        Order.objects.filter(pk__in=made.values()).annotate(
            has_pending_proof=lateness.pending_proof()
        ),
        now=now,
    )
    overdue = {o.pk for bucket in todo if bucket.key == "overdue" for o in bucket.orders}
    shown = {o.pk for bucket in todo for o in bucket.orders}
    assert overdue == in_sql & shown and overdue


def test_no_other_late_order_table():
    # The names the three copies had now point at the one table.
    assert oversight_common.STUCK_AFTER is lateness.LATE_AFTER
    assert not hasattr(selectors, "OVERDUE_AFTER")
