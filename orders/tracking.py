"""'This visitor proved they own this order' — one place for the rule.

The tracking form (code + phone) remembers the codes it matched in the
session; pages that act for the shopper afterwards (reviews, complaints) ask
here, and answer a refusal exactly like a wrong code and phone, so a guesser
learns nothing about which rule stopped them.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _

from orders import selectors
from orders.forms_tracking import TrackForm
from orders.models import Order

TRACKED_KEY = "kb_tracked"
NOT_MATCHED = "Kode pesanan atau nomor HP tidak cocok."


def tracked_order(request, code: str) -> Order | None:
    """The order with `code` when this session matched its code and phone, else None."""
    if code not in request.session.get(TRACKED_KEY, []):
        return None
    return selectors.order_for_tracking(code)


def refused_response(request, *, status: int = 404):
    # Byte-for-byte what a wrong code and phone get on the tracking form.
    messages.error(request, _(NOT_MATCHED))
    return render(request, "orders/track.html", {"form": TrackForm()}, status=status)


def rate_limited_response(request):
    messages.error(request, _("Terlalu banyak percobaan. Coba lagi nanti."))
    return render(request, "orders/track.html", {"form": TrackForm()}, status=429)
