"""Rupiah amounts: whole numbers, shown as `Rp 125.000`, and how large they may be.

The limits are the one place that says how much money a form may accept.
Every money column is a `core.fields.MoneyField` (PostgreSQL bigint,
up to about 9.2 × 10^18), so anything under these limits, and any sum or
product of them the shop computes (50 lines × 9.999 pieces × MAX_UNIT_AMOUNT),
fits the column with room to spare: a form refuses before the database can.
"""

# What one unit costs or one fee is, as staff type it (a product's price, a
# consignment sale's unit price, a courier rate). A piece made in a facility
# workshop never comes near Rp 1 miliar; the cap keeps a typo of three extra
# zeros from producing orders no one can pay.
MAX_UNIT_AMOUNT = 1_000_000_000

# What one order (one facility's part of a checkout: goods plus shipping) may
# come to, and so also the most one cart line may come to. An anonymous
# checkout that asks a facility to make goods worth more than Rp 10 miliar is
# not a web purchase but a procurement, which goes through the facility
# directly; larger carts are refused with a message saying so.
MAX_ORDER_TOTAL = 10_000_000_000


def format_rupiah(amount: int | None) -> str:
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(int(amount)):,}".replace(",", ".")
    return f"{sign}Rp {grouped}"
