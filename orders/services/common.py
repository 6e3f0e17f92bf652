"""Shared by every order service: the refusal they raise and the shapes they
check."""

from __future__ import annotations

import re

MAX_PROOFS_PER_ORDER = 5
# The one shape of a checkout's idempotency key (the page issues uuid4 hex):
# the form drops anything else, so a tampered value never reaches a query.
IDEMPOTENCY_KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")


class OrderError(Exception):
    """A refused order action; `messages` are ready to show (Indonesian)."""

    def __init__(self, *messages: str, stale_cart: bool = False):
        super().__init__(" ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]
        # True when the cart no longer matches the catalog (price, stock,
        # withdrawn product): the shopper should look at the cart again.
        self.stale_cart = stale_cart
