"""Signed, expiring links that open an order from a WhatsApp message or a mail.

A link carries the order codes it is about and the phone they were placed
with, signed with SECRET_KEY under its own salt (django.core.signing): it
cannot be forged or pointed at another order, and it dies after
ORDER_LINK_DAYS. Opening it signs this browser in for those orders exactly as
the tracking form does (orders.tracking: the codes go in the session), so every
page that asks "does this visitor own the order?" answers yes without the
shopper typing the code and phone. An order whose phone changed since (privacy
erasure) no longer matches, and a bad or old link gets the tracking form.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from orders.models import Order
from orders.tracking import TRACKED_KEY
from orders.views_session import remember

SALT = "kb.orders.link"
# Long enough for a parcel's whole journey and a complaint after it; a link in
# an old chat stops working after that (the tracking form still does).
ORDER_LINK_DAYS = 60


def order_link_token(orders) -> str:
    orders = list(orders)
    return signing.dumps(
        {"c": [o.code for o in orders], "p": orders[0].contact_phone}, salt=SALT, compress=True
    )


def order_link(orders) -> str:
    """The full URL (SITE_URL) that opens `orders` (one order or a checkout's)."""
    if isinstance(orders, Order):
        orders = [orders]
    return settings.SITE_URL + reverse("orders:link", args=[order_link_token(orders)])


def codes_from_token(token: str) -> list[str]:
    """The codes a valid, unexpired token opens (still placed with its phone); [] otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=ORDER_LINK_DAYS * 86400)
    except signing.BadSignature:  # also SignatureExpired
        return []
    codes = data.get("c") or []
    return list(
        Order.objects.filter(code__in=codes, contact_phone=data.get("p") or "")
        .order_by("created_at", "pk")
        .values_list("code", flat=True)
    )


def open_link(request, token: str):
    codes = codes_from_token(token)
    if not codes:
        messages.error(
            request,
            _(
                "Tautan ini sudah kedaluwarsa atau tidak berlaku. "
                "Masukkan kode pesanan dan nomor HP."
            ),
        )
        return redirect("orders:track")
    remember(request, TRACKED_KEY, *codes)
    return redirect("orders:track_detail", code=codes[0])
