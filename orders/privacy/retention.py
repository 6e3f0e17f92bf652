"""Retention: shopper data is kept for PRIVACY_RETENTION_DAYS after an order
ends, then anonymised (orders.privacy.order_anonymise) unless something is
still owed on it (orders.privacy.holds, the same rule a deletion request
obeys: the order is held and asked about again on the next run); deletion
requests held for what was owed are completed once it is settled; invoices
keep their bookkeeping fields for ten years (orders.documents.invoices), after which
their buyer identity goes too; expired sessions (carts, remembered order
codes) are deleted.

Run daily: `manage.py apply_retention`, or the task orders.tasks.retention_run
on the queue's periodic schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from orders.documents.invoices import invoices_expire_buyer
from orders.models import Order, OrderEvent
from orders.privacy import ErasureHeld, PrivacyError, order_anonymise, privacy_requests_release
from orders.privacy.models import OrderErasure
from orders.states import FINAL


@dataclass
class RetentionReport:
    anonymised: int = 0
    receipt_files: int = 0
    held: list[tuple[str, str]] = field(default_factory=list)  # (order code, reason)
    # Orders held per kind of hold (an order with two counts in both).
    held_kinds: dict[str, int] = field(default_factory=dict)
    requests_done: int = 0
    requests_held: int = 0
    invoices_expired: int = 0
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
    """Complete the deletion requests nothing holds any more, anonymise every
    order past retention that nothing holds, one transaction each (a failure
    halfway keeps what was done and leaves the rest for the next run), take
    the buyer off invoices past their ten years, and delete expired sessions.
    Running it twice changes nothing the second time.
    """
    now = now or timezone.now()
    report = RetentionReport()
    released = privacy_requests_release(now=now)
    report.requests_done, report.requests_held = released.done, len(released.held)
    for order in orders_past_retention(now).iterator(chunk_size=500):
        try:
            erasure = order_anonymise(order=order, reason=OrderErasure.Reason.RETENTION, now=now)
        except ErasureHeld as held:
            report.held.append((order.code, str(held.messages[0])))
            for kind in {h.kind for h in held.holds}:
                report.held_kinds[kind] = report.held_kinds.get(kind, 0) + 1
            continue
        except PrivacyError as error:
            report.held.append((order.code, " ".join(error.messages)))
            continue
        if erasure is not None:
            report.anonymised += 1
            report.receipt_files += erasure.receipt_files
    report.invoices_expired = invoices_expire_buyer(today=timezone.localdate(now))
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
