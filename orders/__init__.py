"""Cart, checkout, orders and their states, with four rooms of their own.

One Django app (label `orders`, one migration history); the rooms are
sub-packages with their own models, services, admin and views:
- payments/: the gateway client (midtrans.py), payment providers, charges,
  notifications, refunds, settlement, bank statements and receipts.
- delivery/: delivery fees, shipments, courier rates, bookings and tracking.
- documents/: invoices, delivery notes and parcel labels.
- privacy/: shopper data requests, erasure, retention and the access trail.
Here: the cart, checkout (services/checkout*), the order models and their
states (states.py, the one table of status moves), the status steps
(services/steps*), selectors, mail and the task queue (tasks.py). The core
reaches a room only through orders.hooks; the layers are a contract in
pyproject.toml. See docs/orders-rooms.md.
"""
