"""Reads of quotes, with their related rows loaded in the same few queries."""

from __future__ import annotations

from django.utils import timezone

from orders.states import RELEASING
from quotes.models import QuoteRequest, QuoteStatus
from quotes.stock import short_lines

TOKEN_MAX = 64


def request_by_token(token: str) -> QuoteRequest | None:
    if not token or len(token) > TOKEN_MAX:
        return None
    return (
        QuoteRequest.objects.select_related("facility", "order")
        .prefetch_related("lines__product")
        .filter(token=token)
        .first()
    )


def quote_page(quote_request: QuoteRequest) -> dict:
    """What the buyer's page shows: the request, the latest quote (answerable
    or not, and why), earlier versions, and the order once accepted."""
    quotes = list(quote_request.quotes.prefetch_related("lines").order_by("-version"))
    current = quotes[0] if quotes else None
    today = timezone.localdate()
    expired = bool(current and current.status == QuoteStatus.SENT and current.is_expired(today))
    order = quote_request.order
    owing = order is not None and order.paid_at is None and order.status not in RELEASING
    return {
        # Where to transfer, while the order is not paid (before or after delivery).
        "pay_to": list(quote_request.facility.bank_accounts.filter(is_active=True))
        if owing
        else [],
        "quote_request": quote_request,
        "facility": quote_request.facility,
        "quote": current,
        "earlier": quotes[1:],
        "expired": expired,
        "answerable": bool(current and current.status == QuoteStatus.SENT and not expired),
        # Why the quote cannot be filled now (stock gone, product withdrawn):
        # said before the buyer taps "Setujui", with a one-tap new version.
        "short": short_lines(current)
        if current and current.status == QuoteStatus.SENT and not expired
        else [],
        "order": quote_request.order,
    }
