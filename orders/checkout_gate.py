"""The checkout's waiting room: at most CHECKOUT_ADMISSIONS_PER_SECOND
shoppers a second are let into the checkout form; the others get a small
page that tries again by itself, while their cart's units stay held
(catalog.stock_holds).

Why: filling in and placing a checkout costs the shop about a tenth of a
second of CPU per shopper (the form with its address and courier choices,
the placing with its row locks, the gateway's charge, the confirmation).
A crowd arriving faster than the cores can serve queues every request
behind every other, so each "Buat pesanan" waited seconds (the flash sale
drill, docs/flash-sale.md: p99 5.0 s on this 2-core machine). Letting
shoppers in at the rate the machine places orders keeps the press of "Buat
pesanan" fast for those in, and the wait where it is cheap and said plainly.

Admissions are counted per second in the shared cache (every worker and
node counts the same), and a shopper let in keeps a pass in their session
for PASS_SECONDS, so the form, its live totals and the placing are never
turned away half way. Placing itself (a POST) is never gated: a form a
shopper filled in is never lost. 0 turns the room off (the default: a shop
sized for its traffic needs none; the production shape sets it).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

PASS_KEY = "kb_checkout_pass"
PASS_SECONDS = 30 * 60
# How soon the waiting page tries again.
RETRY_SECONDS = 2


def admitted(request) -> bool:
    """True when this shopper may open the checkout form now (and, if they
    were just let in, their pass is written to the session)."""
    rate = settings.CHECKOUT_ADMISSIONS_PER_SECOND
    if rate <= 0:
        return True
    now = time.time()
    if request.session.get(PASS_KEY, 0) > now:
        return True
    key = f"checkout-gate:{int(now)}"
    cache.add(key, 0, timeout=10)
    try:
        count = cache.incr(key)
    except ValueError:  # the key went (cache restarted) between add and incr
        cache.add(key, 1, timeout=10)
        count = 1
    if count > rate:
        return False
    request.session[PASS_KEY] = now + PASS_SECONDS
    return True
