"""Where the order core sets off work in a room above it (payments, delivery,
documents): a status step bills the order, closes the gateway's charge of a
released checkout, refunds a paid order staff cancel, calls the courier off;
and where any module queues a task of orders.tasks (which imports them all).

The core cannot import those rooms (they import the core: its models, its
steps), so it calls them through ports declared here; OrdersConfig.ready
gives each port the room module that provides it, the way
core.page_registry is filled. A port reads the operation from its provider at
call time, so a test that patches the room's function is heard here too.
Calling a port nobody provided is a configuration error, never a silent
skip: billing and refunds must not be lost.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured


class Port:
    def __init__(self, name: str, *operations: str):
        self.name = name
        self.operations = frozenset(operations)
        self._provider = None

    def provide(self, provider) -> None:
        """`provider` (a module) has a function (or a task) for every operation."""
        lacking = sorted(op for op in self.operations if getattr(provider, op, None) is None)
        if lacking:
            raise ImproperlyConfigured(f"{provider!r} lacks {self.name}.{', '.join(lacking)}")
        self._provider = provider

    @property
    def provided(self) -> bool:
        return self._provider is not None

    def __getattr__(self, operation: str):
        if operation.startswith("_") or operation not in self.operations:
            raise AttributeError(f"port {self.name} has no operation {operation!r}")
        if self._provider is None:
            raise ImproperlyConfigured(
                f"nothing provides {self.name}.{operation}: OrdersConfig.ready has not run"
            )
        return getattr(self._provider, operation)


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
