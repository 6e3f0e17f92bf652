"""Helpers for the books tests: checkouts paid online through the real
notification path, and settlement reports written as the gateway's dashboard does."""

from __future__ import annotations

from orders.payments import services as gateway_services
from orders.payments.report_csv import read_report
from tests.orders.gateway_helpers import notification, online_checkout

REPORT_HEADER = (
    "Order ID,Transaction ID,Payment Type,Transaction Status,Gross Amount,Fee,Net Amount,"
    "Settlement Time"
)


def paid_checkout(items):
    """A checkout paid online: the charge recorded, then its signed settlement
    notification received and applied as the worker would (orders confirmed,
    settlement ledger written)."""
    result, payment = online_checkout(items)
    row, _new = gateway_services.gateway_notification_receive(payload=notification(payment))
    gateway_services.gateway_notification_process(notification_id=row.pk)
    payment.refresh_from_db()
    return result, payment


def report_row(gateway_order_id, amount, *, status="settlement", time="", tx="") -> str:
    fee = round(amount * 0.007)
    return (
        f"{gateway_order_id},{tx or 'tx-' + gateway_order_id},qris,{status},{amount}.00,"
        f"{fee}.00,{amount - fee}.00,{time}"
    )


def report(*rows: str, line_end: str = "\n") -> bytes:
    return line_end.join([REPORT_HEADER, *rows]).encode()


def import_report(actor, data: bytes, name="settlement.csv"):
    return gateway_services.gateway_report_import(
        actor=actor, lines=read_report(data), file_name=name
    )
