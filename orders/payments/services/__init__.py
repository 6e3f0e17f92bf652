"""Payments through the gateway (Midtrans): one charge per checkout, its
notifications, refunds and the settlement ledger.

Rules, each in one place here:
- One GatewayPayment covers every order of a checkout paid online, for their
  grand total; it is confirmed (or failed) as a whole.
- A notification is verified (signature), stored once (unique event key) and
  answered at once; its work runs as a task (orders.tasks).
- The work moves orders only through orders.services (the staff's own
  order_confirm_payment; order_close_unpaid for failures), under a lock on
  the payment row, so duplicates and races end in one outcome.
- Money that arrives for an order no longer awaiting payment (expired or
  cancelled meanwhile, e.g. paid after the deadline) is refunded in full
  through the gateway: the order is never reinstated.
- A paid order cancelled by staff is refunded through the gateway.
- Each paid order gets a SettlementEntry: what the operator owes the facility.

- The intent (a pending payment row with its own reference) is committed
  with the orders, before the charge is asked for; a sweep (reconcile) asks
  the gateway about whatever is left unfinished.

The package, by concern: charges (intent, charge, resume, close),
notifications, refunds (gateway, manual, reported), reconcile, settlement,
and the gateway's settlement report (report_csv reads it, report matches it).
Import from `orders.payments.services`.
"""

from orders.payments.services.charges import (
    GatewayUnavailable,
    gateway_charge_close_if_unused,
    gateway_checkout_call_off,
    gateway_checkout_refused,
    gateway_payment_intend,
    gateway_payment_resume,
    gateway_payment_retry,
    gateway_payment_start,
)
from orders.payments.services.gateway_refunds import (
    gateway_payment_for,
    gateway_refund_for_cancelled,
    gateway_refund_manual_done,
    gateway_refund_partial,
    gateway_refund_send,
    gateway_refunds_record_reported,
)
from orders.payments.services.notifications import (
    NotificationRejected,
    gateway_notification_process,
    gateway_notification_receive,
    gateway_status_apply,
)
from orders.payments.services.reconcile import (
    gateway_charge_expire,
    payment_reconcile,
    payments_reconcile,
)
from orders.payments.services.report import gateway_report_import, gateway_report_line_resolve
from orders.payments.services.settlement import settlement_pay_out

__all__ = [
    "GatewayUnavailable",
    "NotificationRejected",
    "gateway_charge_close_if_unused",
    "gateway_charge_expire",
    "gateway_checkout_call_off",
    "gateway_checkout_refused",
    "gateway_notification_process",
    "gateway_notification_receive",
    "gateway_payment_for",
    "gateway_payment_intend",
    "gateway_payment_resume",
    "gateway_payment_retry",
    "gateway_payment_start",
    "gateway_refund_for_cancelled",
    "gateway_refund_manual_done",
    "gateway_refund_partial",
    "gateway_refund_send",
    "gateway_report_import",
    "gateway_report_line_resolve",
    "gateway_refunds_record_reported",
    "gateway_status_apply",
    "payment_reconcile",
    "payments_reconcile",
    "settlement_pay_out",
]
