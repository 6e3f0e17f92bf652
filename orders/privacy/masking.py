"""Masking: what the tracking page shows of the shopper's contact."""

from __future__ import annotations

from orders.models import Order

# --- masking (what the tracking page shows) ----------------------------------------


def mask_phone(phone: str) -> str:
    """+6281234567890 -> +62812••••••890: enough to recognise, not to call."""
    if len(phone) <= 7:
        return "•" * len(phone)
    return phone[:6] + "•" * (len(phone) - 9) + phone[-3:]


def mask_email(email: str) -> str:
    local, _sep, domain = email.partition("@")
    if not domain:
        return ""
    return f"{local[:1]}•••@{domain}"


def mask_text(value: str) -> str:
    """The first word's first letters only: 'Jl. Tebet Raya 5' -> 'Jl. T•••'."""
    words = value.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:1] + "•••"
    return f"{words[0]} {words[1][:1]}•••"


def masked_address(order: Order) -> str:
    parts = [mask_text(order.street), order.city, order.province]
    return ", ".join(p for p in parts if p)
