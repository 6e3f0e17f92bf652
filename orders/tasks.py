"""Background work of the orders app, on Django's tasks API (django-tasks).

Each task is small, idempotent and retried with backoff (core.task_retry);
arguments are ids, never rows, so a task reads the state as it is when it runs.
"""

from __future__ import annotations

import logging

from core.task_retry import retried_task
from orders import mail

log = logging.getLogger(__name__)


@retried_task()
def mail_new_order_facility(order_id: int) -> None:
    mail.send_new_order_facility(order_id)


@retried_task()
def mail_checkout_shopper(order_ids: list[int]) -> None:
    mail.send_checkout_shopper(order_ids)


@retried_task()
def mail_receipt_uploaded(proof_id: int) -> None:
    mail.send_receipt_uploaded(proof_id)


@retried_task()
def mail_status_changed(event_id: int) -> None:
    mail.send_status_changed(event_id)


@retried_task(max_attempts=8)
def gateway_notification_process(notification_id: int) -> None:
    from orders.payments.services import gateway_notification_process as process

    process(notification_id=notification_id)


@retried_task(max_attempts=8)
def gateway_refund_send(refund_id: int) -> None:
    from orders.payments.services import gateway_refund_send as send

    send(refund_id=refund_id)


@retried_task(max_attempts=8)
def gateway_charge_expire(payment_id: int) -> None:
    from orders.payments.services import gateway_charge_expire as expire

    expire(payment_id=payment_id)


@retried_task(max_attempts=1)
def payments_reconcile() -> str:
    """The payments sweep, as a task: the queue's schedule runs it every 5
    minutes (orders.payments.services.reconcile). No retries: the next run is one."""
    from orders.payments.services import payments_reconcile as sweep

    return str(sweep())


@retried_task()
def order_complete_delivered(order_id: int) -> None:
    from orders.delivery.shipments import complete_delivered

    complete_delivered(order_id)


@retried_task()
def tracking_poll(shipment_id: int) -> None:
    from orders.delivery.shipments import tracking_poll as poll

    poll(shipment_id)


def tracking_poll_all() -> int:
    """Queues one poll per parcel still on its way (`manage.py poll_tracking`)."""
    from orders.delivery.shipments import shipments_to_poll

    ids = shipments_to_poll()
    for shipment_id in ids:
        tracking_poll.enqueue(shipment_id)
    return len(ids)


@retried_task(max_attempts=3)
def retention_run() -> None:
    """The daily retention (orders.privacy.retention.retention_apply): held deletion
    requests are completed here once nothing is owed, so the queue's periodic
    schedule must run it (daily)."""
    from orders.privacy.retention import retention_apply

    report = retention_apply()
    log.info(
        "retention: %s anonymised, %s held, %s requests done, %s still held",
        report.anonymised,
        len(report.held),
        report.requests_done,
        report.requests_held,
    )


@retried_task(max_attempts=8)
def courier_booking_cancel(booking_id: int) -> None:
    from orders.delivery.bookings import booking_cancel_send

    booking_cancel_send(booking_id)


def courier_bookings_sweep() -> dict:
    """Periodic (every 5 minutes): finishes courier bookings left half done,
    fetches pending resis, sends cancels not yet done (orders.delivery.bookings)."""
    from orders.delivery.bookings import bookings_sweep

    return bookings_sweep()
