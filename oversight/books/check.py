"""The daily books check: does every rupiah the gateway received have a home?

Per facility and day (WIB, the day the payment was received), for every
gateway payment paid that day and each of its orders:

    received (the order's share of the payment)
      = settled (SettlementEntry owed or paid out to the facility)
      + refunded (GatewayRefund done)
      + held for a person (GatewayRefund manual, failed or still pending)

and, across facilities, every line of the gateway's settlement report
(orders.GatewayReportLine) matches exactly one payment. Each way this fails
is a Difference with what a person should do about it, in Indonesian.

Read only: nothing here writes. It sits in oversight because it reads every
part of orders' money (payments, ledger, refunds, the gateway's report)
without belonging to any one of them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_rupiah
from facilities.scoping import Scope
from orders.models import Order, PaymentMethod
from orders.payments.models import GatewayPayment, GatewayRefund, SettlementEntry
from oversight.books.ledger import (
    check_gateway_refunds,
    check_gateway_settlements,
    check_ledger,
)
from oversight.books.report import check_report
from oversight.books.types import BooksDay, Difference, FacilityBooks

log = logging.getLogger("oversight.books")

SETTLED = (SettlementEntry.Status.OWED, SettlementEntry.Status.PAID_OUT)
# The longest period one page (or call) adds up; a year of days is a
# spreadsheet's job.
MAX_DAYS = 62


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first, time.min))
    return start, timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))


def books_check(*, day: date, facility=None, scope: Scope | None = None) -> BooksDay:
    """The books of one day (WIB): per facility its sums, and every difference
    with what to do. `facility` narrows to one facility (gateway-wide lines
    are then left out); `scope` (default: national) to what a person may see."""
    return books_check_period(first=day, last=day, facility=facility, scope=scope)[0]


def books_check_period(
    *, first: date, last: date, facility=None, scope: Scope | None = None
) -> list[BooksDay]:
    """books_check for each day from `last` back to `first`, in a constant
    number of queries whatever the days and rows.

    Raises ValueError for a period longer than MAX_DAYS or ending before it starts.
    """
    if last < first or (last - first).days >= MAX_DAYS:
        raise ValueError(f"a books period is 1 to {MAX_DAYS} days")
    national = scope is None or scope.is_national
    allowed = None if national else set(scope.facilities().values_list("pk", flat=True))
    if facility is not None:
        allowed = {facility.pk} if allowed is None or facility.pk in allowed else set()
    gateway_wide = national and facility is None
    start, end = _bounds(first, last)
    days = {
        first + timedelta(days=n): BooksDay(first + timedelta(days=n))
        for n in range((last - first).days + 1)
    }

    def visible(facility_id: int | None) -> bool:
        if facility_id is None:
            return gateway_wide
        return allowed is None or facility_id in allowed

    def add(difference: Difference) -> None:
        if visible(difference.facility_id):
            days[difference.day].differences.append(difference)

    payments = list(
        GatewayPayment.objects.filter(
            status=GatewayPayment.Status.PAID, paid_at__gte=start, paid_at__lt=end
        ).only("pk", "checkout_id", "gateway_order_id", "amount", "paid_at")
    )
    _check_payments(payments, days, add, visible)
    check_ledger(start, end, add)
    if gateway_wide:
        check_gateway_refunds(start, end, add)
        check_gateway_settlements(start, end, add)
        check_report(first, last, payments, add)
    for books_day in days.values():
        books_day.rows.sort(key=lambda row: (row.region, row.facility))
    return [days[day] for day in sorted(days, reverse=True)]


def _check_payments(payments, days, add, visible) -> None:
    """Each paid payment, order by order: received = settled + refunded + held."""
    ids = [p.pk for p in payments]
    orders_by_checkout = defaultdict(list)
    for order in (
        Order.objects.filter(
            checkout_id__in={p.checkout_id for p in payments},
            payment_method=PaymentMethod.GATEWAY,
        )
        .select_related("facility__region")
        .only("pk", "code", "total", "checkout_id", "facility__name", "facility__region__name")
        .order_by("pk")
    ):
        orders_by_checkout[order.checkout_id].append(order)
    settled, refunded, held = defaultdict(int), defaultdict(int), defaultdict(int)
    has_entry = set()
    for payment_id, order_id, amount, status in SettlementEntry.objects.filter(
        payment_id__in=ids
    ).values_list("payment_id", "order_id", "amount", "status"):
        has_entry.add((payment_id, order_id))
        if status in SETTLED:
            settled[payment_id, order_id] += amount
    for payment_id, order_id, amount, status in GatewayRefund.objects.filter(
        payment_id__in=ids
    ).values_list("payment_id", "order_id", "amount", "status"):
        bucket = refunded if status == GatewayRefund.Status.DONE else held
        bucket[payment_id, order_id] += amount

    for payment in payments:
        day = timezone.localdate(payment.paid_at)
        orders = orders_by_checkout[payment.checkout_id]
        allocated = sum(order.total for order in orders)
        if allocated != payment.amount:
            add(
                Difference(
                    day=day,
                    kind="allocation",
                    amount=payment.amount - allocated,
                    reference=payment.gateway_order_id,
                    problem=_(
                        "Pembayaran %(payment)s sebesar %(amount)s tidak sama dengan jumlah "
                        "pesanan yang dibayarnya (%(orders)s)."
                    )
                    % {
                        "payment": payment.gateway_order_id,
                        "amount": format_rupiah(payment.amount),
                        "orders": format_rupiah(allocated),
                    },
                    action=_(
                        "Cocokkan nominal di dasbor gateway dengan pesanan checkout ini; "
                        "kembalikan selisihnya ke pembeli atau catat kekurangannya."
                    ),
                )
            )
        for order in orders:
            if not visible(order.facility_id):
                continue
            key = (payment.pk, order.pk)
            row = _row(days[day], order)
            row.received += order.total
            row.settled += settled[key]
            row.refunded += refunded[key]
            row.held += held[key]
            gap = order.total - settled[key] - refunded[key] - held[key]
            if gap:
                add(_order_difference(day, payment, order, gap, key in has_entry))


def _row(books_day: BooksDay, order: Order) -> FacilityBooks:
    for row in books_day.rows:
        if row.facility_id == order.facility_id:
            return row
    row = FacilityBooks(
        facility_id=order.facility_id,
        facility=order.facility.name,
        region=order.facility.region.name if order.facility.region_id else "",
    )
    books_day.rows.append(row)
    return row


def _order_difference(day, payment, order, gap: int, has_entry: bool) -> Difference:
    names = {
        "payment": payment.gateway_order_id,
        "order": order.code,
        "amount": format_rupiah(abs(gap)),
    }
    if not has_entry and gap == order.total:
        kind = "paid_not_recorded"
        problem = _(
            "Pembayaran %(payment)s diterima gateway tetapi pesanan %(order)s tidak tercatat "
            "dibayar (tidak ada di buku setoran ke UPT)."
        )
        action = _(
            "Jalankan rekonsiliasi gateway, lalu periksa pesanan %(order)s: konfirmasi "
            "pembayarannya atau kembalikan dananya ke pembeli."
        )
    elif gap > 0:
        kind = "unaccounted"
        problem = _(
            "%(amount)s dari pesanan %(order)s (pembayaran %(payment)s) tidak tercatat sebagai "
            "setoran ke UPT, pengembalian dana, maupun dana yang ditahan."
        )
        action = _(
            "Periksa buku setoran dan pengembalian dana pesanan %(order)s; catat pengembalian "
            "dana yang dibuat di dasbor gateway."
        )
    else:
        kind = "over_accounted"
        problem = _(
            "Untuk pesanan %(order)s tercatat %(amount)s lebih banyak (setoran + pengembalian "
            "dana) daripada yang diterima dari pembayaran %(payment)s."
        )
        action = _(
            "Bila dana sudah disetor ke UPT lalu dikembalikan ke pembeli, tagih %(amount)s "
            "dari UPT; bila tidak, periksa pengembalian dana ganda."
        )
    return Difference(
        day=day,
        kind=kind,
        amount=gap,
        reference=order.code,
        problem=problem % names,
        action=action % names,
        facility_id=order.facility_id,
        facility=order.facility.name,
    )


def books_check_daily() -> int:
    """The periodic job (daily, after midnight WIB): check yesterday's books
    and log every difference as an error, so monitoring sees it. Returns how
    many differences there were."""
    day = timezone.localdate() - timedelta(days=1)
    result = books_check(day=day)
    for difference in result.differences:
        log.error(
            "books %s %s %s %s: %s",
            day,
            difference.facility or "-",
            difference.kind,
            difference.reference,
            difference.problem,
        )
    if result.balanced:
        log.info("books %s balanced (%s facilities)", day, len(result.rows))
    return len(result.differences)
