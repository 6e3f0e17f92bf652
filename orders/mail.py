"""Order mail, sent after commit: the facility on new orders and receipts, the
shopper (when they gave an email) on every status change."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from orders.models import Order, OrderEvent, PaymentProof

log = logging.getLogger(__name__)


def _send(subject_template: str, body_template: str, context: dict, to: list[str]) -> None:
    to = [address for address in to if address]
    if not to:
        return
    context = {**context, "SITE_URL": settings.SITE_URL}
    # Mail goes out in Indonesian whatever language the page was in.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:  # mail trouble must never undo a committed order
        log.exception("order mail failed: %s", subject)


def _facility_recipients(facility) -> list[str]:
    """The facility's own address, else its staff's: someone must hear of an order."""
    if facility.email:
        return [facility.email]
    from facilities.models import Membership

    return list(
        Membership.objects.filter(facility=facility, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _orders(order_ids):
    return (
        Order.objects.filter(pk__in=order_ids)
        .select_related("facility")
        .prefetch_related("lines", "facility__bank_accounts")
        .order_by("facility__name")
    )


def send_new_orders(order_ids: list[int]) -> None:
    """One mail per facility about its new order, and one to the shopper listing all."""
    orders = list(_orders(order_ids))
    for order in orders:
        _send(
            "orders/mail/new_order_subject.txt",
            "orders/mail/new_order_facility.txt",
            {"order": order},
            _facility_recipients(order.facility),
        )
    if orders and orders[0].contact_email:
        _send(
            "orders/mail/confirmation_subject.txt",
            "orders/mail/confirmation_shopper.txt",
            {"orders": orders, "contact_name": orders[0].contact_name},
            [orders[0].contact_email],
        )


def send_receipt_uploaded(proof_id: int) -> None:
    proof = PaymentProof.objects.select_related("order__facility").get(pk=proof_id)
    _send(
        "orders/mail/receipt_subject.txt",
        "orders/mail/receipt_facility.txt",
        {"order": proof.order, "proof": proof},
        _facility_recipients(proof.order.facility),
    )


def send_status_changed(event_id: int) -> None:
    event = OrderEvent.objects.select_related("order__facility").get(pk=event_id)
    _send(
        "orders/mail/status_subject.txt",
        "orders/mail/status_shopper.txt",
        {"order": event.order, "event": event},
        [event.order.contact_email],
    )
