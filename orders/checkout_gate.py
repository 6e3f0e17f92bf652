"""The checkout's waiting room: shoppers are let into the checkout form at
most CHECKOUT_ADMISSIONS_PER_SECOND a second, in the order they came; the
others get a page that says when their turn is and comes back by itself
then, while their cart's units stay held (catalog.stock_holds).

Why: filling in and placing a checkout costs the shop about a tenth of a
second of CPU per shopper (the form with its address and courier choices,
the placing with its row locks, the gateway's charge, the confirmation).
A crowd arriving faster than the cores serve queues every request behind
every other, so each "Buat pesanan" waited seconds (the flash sale drill,
docs/flash-sale.md: p99 5.0 s on this 2-core machine). Letting shoppers in
at the rate the machine places orders keeps the press of "Buat pesanan"
fast for those in, and puts the wait where it is cheap and said plainly.

Turns come from one row in PostgreSQL (orders.models.CheckoutQueue): one
UPDATE ... RETURNING gives the shopper the next free turn, never earlier
than now, and moves the row 1/rate seconds on, so turns are evenly spaced
(a second's admissions let in at its first instant would queue behind each
other for the cores: placing p99 1.5 s in the drill) and first come, first
served across workers and nodes. A shopper whose turn is in the future
keeps it in their session and is let in when they come back at that time
(the page's meta refresh); one let in keeps a pass for PASS_SECONDS, so the
form, its live totals and the placing are never turned away half way.
Placing itself (a POST) is never gated: a filled-in form is never lost.
0 turns the room off (the default: a shop sized for its traffic needs
none; the production shape sets it).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from orders.models import CheckoutQueue

PASS_KEY = "kb_checkout_pass"
TURN_KEY = "kb_checkout_turn"
PASS_SECONDS = 30 * 60
# A turn this close is taken now rather than after a page and a reload.
NEAR = timedelta(milliseconds=150)
QUEUE = "checkout"


def turn_wait(request) -> datetime | None:
    """None when this shopper may open the checkout form now (a pass is
    written to their session), else the time of their turn."""
    rate = settings.CHECKOUT_ADMISSIONS_PER_SECOND
    if rate <= 0:
        return None
    now = timezone.now()
    session = request.session
    if session.get(PASS_KEY, 0) > now.timestamp():
        return None
    turn_ts = session.get(TURN_KEY)
    turn = datetime.fromtimestamp(turn_ts, tz=now.tzinfo) if turn_ts else _next_turn(rate, now)
    if turn - now > NEAR:
        if not turn_ts:
            session[TURN_KEY] = turn.timestamp()
        return turn
    session.pop(TURN_KEY, None)
    session[PASS_KEY] = now.timestamp() + PASS_SECONDS
    return None


def seconds_until(turn: datetime) -> int:
    return max(1, math.ceil((turn - timezone.now()).total_seconds()))


def _next_turn(rate: int, now: datetime) -> datetime:
    """Take the next free turn: the later of now and the row's next turn;
    the row moves one spacing on. One statement, so two shoppers never get
    the same turn."""
    spacing = timedelta(seconds=1 / rate)
    table = CheckoutQueue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET next_turn_at = GREATEST(next_turn_at, %s) + %s "
            "WHERE name = %s RETURNING next_turn_at - %s",
            [now, spacing, QUEUE, spacing],
        )
        row = cursor.fetchone()
    if row is None:  # the first shopper ever: the row is made, their turn is now
        CheckoutQueue.objects.get_or_create(name=QUEUE, defaults={"next_turn_at": now + spacing})
        return now
    return row[0]
