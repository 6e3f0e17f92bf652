"""Order mail: the facility on new orders and receipts, the shopper (when they
gave an email) on every status change.

Services call the `queue_*` functions after commit; each mail is one task on
the queue (orders/tasks.py), so a mail server that is down delays that one
mail (retried with backoff, then left failed in the admin's task list) and
never the shopper's request or another mail.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from core.mail_once import mail_send_once
from facilities.scoping import Scope
from orders.hooks import tasks
from orders.models import Order, OrderEvent, PaymentProof

log = logging.getLogger(__name__)


def render_and_send(
    subject_template: str, body_template: str, context: dict, to: list[str], *, key: str
) -> None:
    """Render and send one mail, once per `key` (the event it is about: a task
    run again after its worker died must not mail twice; core.mail_once)."""
    to = [address for address in to if address]
    if not to:
        return
    context = {**context, "SITE_URL": settings.SITE_URL}
    # Mail goes out in Indonesian whatever language the page was in.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
    try:
        mail_send_once(
            key=key, send=lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        )
    except Exception:
        # Logged here, raised for the task to retry; the order is long committed.
        log.exception("order mail failed: %s", subject)
        raise


def facility_recipients(facility) -> list[str]:
    """The facility's own address, else its staff's: someone must hear of an order."""
    if facility.email:
        return [facility.email]
    return Scope.of_facility(facility.pk).recipients()


def _orders(order_ids):
    return (
        Order.objects.filter(pk__in=order_ids)
        .select_related("facility")
        .prefetch_related("lines", "facility__bank_accounts")
        .order_by("facility__name")
    )


def send_new_order_facility(order_id: int) -> None:
    """The facility hears of its new order."""
    order = _orders([order_id]).first()
    if order is not None:
        render_and_send(
            "orders/mail/new_order_subject.txt",
            "orders/mail/new_order_facility.txt",
            {"order": order},
            facility_recipients(order.facility),
            key=f"orders.new_order:{order_id}",
        )


def send_checkout_shopper(order_ids: list[int]) -> None:
    """One mail to the shopper listing every order of the checkout."""
    orders = list(_orders(order_ids))
    if orders and orders[0].contact_email:
        render_and_send(
            "orders/mail/confirmation_subject.txt",
            "orders/mail/confirmation_shopper.txt",
            {"orders": orders, "contact_name": orders[0].contact_name},
            [orders[0].contact_email],
            key="orders.checkout:" + ",".join(str(pk) for pk in sorted(order_ids)),
        )


def queue_new_orders(order_ids: list[int]) -> None:
    for order_id in order_ids:
        tasks.mail_new_order_facility.enqueue(order_id)
    tasks.mail_checkout_shopper.enqueue(list(order_ids))


def queue_receipt_uploaded(proof_id: int) -> None:
    tasks.mail_receipt_uploaded.enqueue(proof_id)


def queue_status_changed(event_id: int) -> None:
    tasks.mail_status_changed.enqueue(event_id)


def send_receipt_uploaded(proof_id: int) -> None:
    proof = PaymentProof.objects.select_related("order__facility").get(pk=proof_id)
    render_and_send(
        "orders/mail/receipt_subject.txt",
        "orders/mail/receipt_facility.txt",
        {"order": proof.order, "proof": proof},
        facility_recipients(proof.order.facility),
        key=f"orders.receipt:{proof_id}",
    )


def send_status_changed(event_id: int) -> None:
    from orders.account import events

    event = OrderEvent.objects.select_related("order__facility").get(pk=event_id)
    if key := events.paid_group_key(event):  # one "paid" mail per checkout payment
        orders = events.checkout_group(event.order, events.PAID)
        if orders[0].pk != event.order_id:
            # Only the first order's event mails the checkout: two workers
            # running both events at once cannot both send (mail_once alone
            # lets a concurrent twin through).
            return
        render_and_send(
            "orders/mail/status_subject.txt",
            "orders/mail/paid_shopper.txt",
            {"order": event.order, "orders": orders, "event": event},
            [event.order.contact_email],
            key=key,
        )
        return
    render_and_send(
        "orders/mail/status_subject.txt",
        "orders/mail/status_shopper.txt",
        {"order": event.order, "event": event},
        [event.order.contact_email],
        key=f"orders.status:{event_id}",
    )
