"""What "Pesanan saya" lists: every order and quote request of one phone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from orders.models import Order
from quotes.models import QuoteRequest

MAX_ROWS = 200  # a phone with more than this is a shop, not a shopper; newest first


@dataclass(frozen=True)
class Row:
    kind: str  # "order" | "quote"
    code: str
    facility: str
    created_at: datetime
    status: str
    total: int | None
    url: str


def phone_has_anything(phone: str) -> bool:
    return (
        Order.objects.filter(contact_phone=phone).exists()
        or QuoteRequest.objects.filter(contact_phone=phone).exists()
    )


def newest_email(phone: str) -> str:
    """The email given with the phone's newest order or quote request, if any."""
    found = []
    for model in (Order, QuoteRequest):
        row = (
            model.objects.filter(contact_phone=phone)
            .exclude(contact_email="")
            .order_by("-created_at")
            .values_list("created_at", "contact_email")
            .first()
        )
        if row:
            found.append(row)
    return max(found)[1] if found else ""


def rows_for(phone: str) -> list[Row]:
    from django.urls import reverse

    orders = (
        Order.objects.filter(contact_phone=phone)
        .select_related("facility")
        .order_by("-created_at", "-pk")[:MAX_ROWS]
    )
    quotes = (
        QuoteRequest.objects.filter(contact_phone=phone)
        .select_related("facility")
        .order_by("-created_at", "-pk")[:MAX_ROWS]
    )
    rows = [
        Row(
            kind="order",
            code=o.code,
            facility=o.facility.name,
            created_at=o.created_at,
            status=o.get_status_display(),
            total=o.total,
            url=reverse("myorders:open", args=[o.code]),
        )
        for o in orders
    ] + [
        Row(
            kind="quote",
            code=q.code,
            facility=q.facility.name,
            created_at=q.created_at,
            status=q.get_status_display(),
            total=None,
            url=reverse("quotes:detail", args=[q.token]),
        )
        for q in quotes
    ]
    rows.sort(key=lambda r: r.created_at, reverse=True)
    return rows[:MAX_ROWS]


def order_of_phone(phone: str, code: str) -> Order | None:
    return Order.objects.filter(contact_phone=phone, code=code).only("pk", "code").first()
