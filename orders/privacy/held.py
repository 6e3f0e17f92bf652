"""Deletion requests that wait for what is still owed on their order: holding
one with its reasons, telling the shopper, and completing it once nothing
holds it (run by the daily retention, orders.privacy.retention.retention_apply, so a
held request is never left for someone to remember)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from orders.privacy.erasure import order_anonymise
from orders.privacy.holds import ErasureHeld, ErasureHold, holds_text, holds_until
from orders.privacy.models import OrderErasure, PrivacyRequest
from orders.privacy.rules import PrivacyError

log = logging.getLogger("orders.privacy")  # one name for the package


@dataclass
class ReleaseReport:
    done: int = 0
    held: list[tuple[str, str]] = field(default_factory=list)  # (order code, reason)


def request_hold(request: PrivacyRequest, holds: list[ErasureHold]) -> list[str]:
    """Write `holds` on a (locked, or new) deletion request: HELD, why, and the
    day it is expected to clear. Returns the fields to save."""
    request.status = PrivacyRequest.Status.HELD
    request.held_reason = holds_text(holds)[:600]
    request.held_until = holds_until(holds)
    return ["status", "held_reason", "held_until"]


def mail_shopper_on_commit(request: PrivacyRequest, *, kind: str, to: str) -> None:
    """After commit, tell the shopper (at `to`, read before any erasure) that
    their request is held (`kind` "held") or done ("done"). Only this order's
    code, reasons and dates: nothing about anyone else."""
    if not to:
        return
    request_id = request.pk
    transaction.on_commit(lambda: _mail_shopper(request_id, kind, to))


def _mail_shopper(request_id: int, kind: str, to: str) -> None:
    request = PrivacyRequest.objects.select_related("order").get(pk=request_id)
    context = {"request": request, "code": request.order.code, "SITE_URL": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"privacy/mail/deletion_{kind}_subject.txt", context).strip()
        body = render_to_string(f"privacy/mail/deletion_{kind}.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception:  # the request's page says the same; the row is the record
        log.exception("privacy shopper mail failed: %s", subject)


def privacy_requests_release(*, now: datetime | None = None) -> ReleaseReport:
    """Ask the hold rule again for every HELD deletion request: complete the
    ones nothing holds any more (the same anonymisation as staff's, reason
    REQUEST; the shopper is mailed), and refresh the reasons and day of the
    rest. One transaction per request; a request another run is handling is
    skipped (SKIP LOCKED), so two runs at once do each request once.
    """
    now = now or timezone.now()
    report = ReleaseReport()
    waiting = PrivacyRequest.objects.filter(
        kind=PrivacyRequest.Kind.DELETION, status=PrivacyRequest.Status.HELD
    ).order_by("pk")
    for pk in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            request = (
                PrivacyRequest.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("order")
                .filter(pk=pk, status=PrivacyRequest.Status.HELD)
                .first()
            )
            if request is None:
                continue
            email = request.order.contact_email
            try:
                with transaction.atomic():
                    order_anonymise(
                        order=request.order, reason=OrderErasure.Reason.REQUEST, now=now
                    )
            except ErasureHeld as held:
                fields = request_hold(request, held.holds)
                request.save(update_fields=fields)
                report.held.append((request.order.code, request.held_reason))
                continue
            except PrivacyError as error:  # not expected: HELD requests are on ended orders
                report.held.append((request.order.code, " ".join(error.messages)))
                continue
            # Anonymised now, or already by retention meanwhile: either way done.
            request.status = PrivacyRequest.Status.DONE
            request.handled_at = now
            request.save(update_fields=["status", "handled_at"])
            mail_shopper_on_commit(request, kind="done", to=email)
            report.done += 1
    return report
