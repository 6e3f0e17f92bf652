"""Cart, checkout, orders and payments.

Where things live:
- cart.py: the session cart (product id -> quantity and the price seen), and
  `Cart.refresh()` that re-reads the catalog and says what changed.
- services.py: every write. `order_place` makes one Order per facility in one
  transaction, locking product rows in id order; the status steps
  (`order_confirm_payment`, `order_ship`, `order_cancel`, `order_expire`, ...)
  check orders.states and write an OrderEvent; `payment_proof_submit`.
- states.py: the one table of allowed status moves and who may make them.
- payments.py: payment providers (bank transfer, pay at pickup) behind one
  interface; shipping.py: delivery methods and fees from a facility's settings
  and rate table; receipts.py: receipt checks (catalog's photo pipeline, PDF
  magic); mail.py: mail sent on commit.
- selectors.py: reads with their joins; views.py: thin pages; admin.py: the
  staff's scoped order desk; `manage.py expire_orders` for cron.
"""
