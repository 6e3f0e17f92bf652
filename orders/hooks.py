"""Where the order core sets off work in a room above it (payments, delivery,
documents): a status step bills the order, closes the gateway's charge of a
released checkout, refunds a paid order staff cancel, calls the courier off;
and where any module queues a task of orders.tasks (which imports them all).

The core cannot import those rooms (they import the core: its models, its
steps), so it calls them through ports (core.ports) declared here; OrdersConfig.ready
gives each port the room module that provides it, the way
core.page_registry is filled. A port reads the operation from its provider at
call time, so a test that patches the room's function is heard here too.
Calling a port nobody provided is a configuration error, never a silent
skip: billing and refunds must not be lost.
"""

from __future__ import annotations

from core.ports import Port

# Billed by a move? (orders.documents.invoices)
invoices = Port("invoices", "invoice_issue_if_due")
# The gateway's side of an order that ends (orders.payments.services).
payments = Port("payments", "gateway_charge_close_if_unused", "gateway_refund_for_cancelled")
# A booked courier told to stay away (orders.delivery.bookings).
courier_bookings = Port("courier_bookings", "booking_cancel_request")

# The queue: the tasks that run this work later (orders.tasks, which imports
# the rooms to run them; so whoever queues one reaches it through here).
tasks = Port(
    "tasks",
    "mail_new_order_facility",
    "mail_checkout_shopper",
    "mail_receipt_uploaded",
    "mail_status_changed",
    "gateway_notification_process",
    "gateway_refund_send",
    "gateway_charge_expire",
    "order_complete_delivered",
    "courier_booking_cancel",
)

PORTS = (invoices, payments, courier_bookings, tasks)
