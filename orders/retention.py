"""Retention: shopper data is kept for PRIVACY_RETENTION_DAYS after an order
ends, then anonymised (orders.privacy.order_anonymise); expired sessions
(carts, remembered order codes) are deleted. Run by `manage.py apply_retention`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from orders.models import Order, OrderEvent
from orders.models_privacy import OrderErasure
from orders.privacy import PrivacyError, order_anonymise
from orders.states import FINAL


@dataclass
class RetentionReport:
    anonymised: int = 0
    receipt_files: int = 0
    held: list[tuple[str, str]] = field(default_factory=list)  # (order code, reason)
    sessions_deleted: int = 0


def ended_at():
    """When each order reached its end: its last move into a final status
    (the creation time for a row from before histories were kept)."""
    last_end = (
        OrderEvent.objects.filter(order=OuterRef("pk"), to_status__in=FINAL)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(last_end), "created_at")


def orders_past_retention(now: datetime) -> QuerySet[Order]:
    """Ended orders whose retention ran out and that still carry shopper data."""
    cutoff = now - timedelta(days=settings.PRIVACY_RETENTION_DAYS)
    return (
        Order.objects.filter(status__in=FINAL)
        .annotate(ended_at=ended_at())
        .filter(ended_at__lte=cutoff)
        .exclude(Exists(OrderErasure.objects.filter(order=OuterRef("pk"))))
        .order_by("pk")
    )


def retention_apply(*, now: datetime | None = None, sessions: bool = True) -> RetentionReport:
    """Anonymise every order past retention, one transaction each (a failure
    halfway keeps what was done and leaves the rest for the next run), and
    delete expired sessions. Running it twice changes nothing the second time.
    """
    now = now or timezone.now()
    report = RetentionReport()
    for order in orders_past_retention(now).iterator(chunk_size=500):
        try:
            erasure = order_anonymise(order=order, reason=OrderErasure.Reason.RETENTION)
        except PrivacyError as error:
            report.held.append((order.code, " ".join(error.messages)))
            continue
        if erasure is not None:
            report.anonymised += 1
            report.receipt_files += erasure.receipt_files
    if sessions:
        report.sessions_deleted = _clear_expired_sessions()
    return report


def _clear_expired_sessions() -> int:
    """What `manage.py clearsessions` does, counted. Carts live in the session,
    so an abandoned cart goes with it."""
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore
    model = getattr(store, "get_model_class", None)
    if model is None:  # a backend without rows (signed cookies, cache) expires by itself
        store.clear_expired()
        return 0
    expired = model().objects.filter(expire_date__lt=timezone.now())
    count = expired.count()
    store.clear_expired()
    return count
