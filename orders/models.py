"""Cart, checkout, orders and payments (see the orders issue)."""
