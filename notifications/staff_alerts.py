"""Telling staff of their work in time: urgent work as it comes and a morning
digest, by mail and/or WhatsApp, as each account chose (StaffAlertPreference).

What a person is told is always read from their own inbox
(facilities.inbox.inbox_for with scope_for(user)): the same scoping as the
pages, so nobody hears of a facility outside their scope. The send task reads
the inbox again when it runs, so work done (or moved out of scope) meanwhile
is not sent. WhatsApp respects the shoppers' opt-out list (OptOut, for every
order) and is skipped while WhatsApp is not configured.

Periodic jobs (the queue's scheduler, marketplace/periodic.py):
`staff_alerts_sweep` every 15 minutes, `staff_digest_queue_all` once a day at
07.00 WIB; each queues one send task per person (notifications.hooks).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from facilities.inbox import InboxItem, inbox_for
from facilities.scoping import scope_for
from notifications import hooks, whatsapp
from notifications.models import OptOut, StaffAlert, StaffAlertPreference

log = logging.getLogger(__name__)

URGENT_TEMPLATE = "kb_tugas_mendesak"
DIGEST_TEMPLATE = "kb_ringkasan_tugas"
MAX_LISTED = 10


def urgent_within() -> timedelta:
    """Work due within this long is urgent (STAFF_URGENT_HOURS, default 24)."""
    return timedelta(hours=getattr(settings, "STAFF_URGENT_HOURS", 24))


def item_key(item: InboxItem) -> str:
    return f"{item.kind}:{item.url}"


def _inbox_items(user, now) -> list[InboxItem]:
    inbox = inbox_for(user, scope_for(user), now=now, limit=50)
    return [item for section in inbox.sections for item in section.items]


def urgent_items(user, *, now=None) -> list[InboxItem]:
    """`user`'s work that is late or due within urgent_within(), from their inbox."""
    now = now or timezone.now()
    soon = now + urgent_within()
    return [
        item
        for item in _inbox_items(user, now)
        if item.overdue or (item.deadline is not None and item.deadline <= soon)
    ]


def _wanting(kind: str):
    return (
        StaffAlertPreference.objects.filter(**{kind: True})
        .filter(Q(by_email=True) | Q(by_whatsapp=True))
        .filter(user__is_active=True, user__is_staff=True)
        .select_related("user")
        .order_by("pk")
    )


def staff_alerts_sweep(*, now=None) -> int:
    """Queue one message for each person with urgent work not told yet, and
    remember what was told (StaffAlert) so it is told once. Returns how many
    people were queued."""
    now = now or timezone.now()
    queued = 0
    for preference in _wanting("urgent"):
        user = preference.user
        keys = [item_key(item) for item in urgent_items(user, now=now)]
        told = set(
            StaffAlert.objects.filter(user=user, item_key__in=keys).values_list(
                "item_key", flat=True
            )
        )
        new = [key for key in keys if key not in told]
        if not new:
            continue
        with transaction.atomic():
            StaffAlert.objects.bulk_create(
                [StaffAlert(user=user, item_key=key) for key in new], ignore_conflicts=True
            )
            transaction.on_commit(
                lambda user_id=user.pk, new=new: hooks.tasks.staff_alert_send.enqueue(user_id, new),
                robust=True,
            )
        queued += 1
    return queued


def staff_digest_queue_all() -> int:
    """The morning digest: one task per person who asked for it."""
    count = 0
    for preference in _wanting("digest"):
        hooks.tasks.staff_digest_send.enqueue(preference.user_id)
        count += 1
    return count


def _line(item: InboxItem) -> str:
    parts = [f"{item.kind_label}: {item.title}"]
    if item.facility is not None:
        parts.append(item.facility.name)
    if item.deadline is not None:
        zone = item.facility.timezone if item.facility is not None else None
        with timezone.override(zone or settings.TIME_ZONE):
            when = date_format(timezone.localtime(item.deadline), "j M H:i")
        parts.append(_("batas %(when)s") % {"when": when})
    if item.overdue:
        parts.append(_("TERLAMBAT"))
    return "- " + " · ".join(parts)


def _inbox_url() -> str:
    return settings.SITE_URL + reverse("kb_inbox")


def _deliver(preference, *, subject: str, body: str, template: str, params: list[str]):
    user = preference.user
    if preference.by_email and user.email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    phone = (preference.whatsapp_phone or "").lstrip("+")
    if preference.by_whatsapp and phone and whatsapp.enabled():
        if OptOut.objects.filter(phone=phone, order__isnull=True).exists():
            return
        # A transient error raises and the task retries; mail already went,
        # and a second mail on retry is better than none.
        whatsapp.send_template(to=phone, template=template, params=params)


def _preference(user_id: int) -> StaffAlertPreference | None:
    return (
        StaffAlertPreference.objects.filter(
            user_id=user_id, user__is_active=True, user__is_staff=True
        )
        .select_related("user")
        .first()
    )


def staff_alert_send(*, user_id: int, keys: list[str]) -> int:
    """Tell the person of the urgent work `keys` that is still in their inbox
    now (done meanwhile, or out of their scope: not told). Returns items sent."""
    preference = _preference(user_id)
    if preference is None or not preference.urgent:
        return 0
    wanted = set(keys)
    items = [i for i in urgent_items(preference.user) if item_key(i) in wanted]
    if not items:
        return 0
    lines = [_line(item) for item in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        lines.append(_("… dan %(n)s lagi") % {"n": len(items) - MAX_LISTED})
    subject = _("Tugas mendesak di Karya Binaan: %(n)s") % {"n": len(items)}
    body = "\n".join([subject, "", *lines, "", _("Buka: %(url)s") % {"url": _inbox_url()}])
    _deliver(
        preference,
        subject=subject,
        body=body,
        template=URGENT_TEMPLATE,
        params=[str(len(items)), items[0].kind_label, _inbox_url()],
    )
    return len(items)


def staff_digest_send(*, user_id: int) -> int:
    """The morning digest: each kind of waiting work with its count and late
    count, and the late items. Nothing waiting: nothing sent. Returns items."""
    preference = _preference(user_id)
    if preference is None or not preference.digest:
        return 0
    user = preference.user
    inbox = inbox_for(user, scope_for(user), limit=MAX_LISTED)
    if not inbox.count:
        return 0
    lines = []
    for section in inbox.sections:
        if section.count:
            late = _(", %(n)s terlambat") % {"n": section.late} if section.late else ""
            lines.append(f"- {section.label}: {section.count}{late}")
    late_items = [i for s in inbox.sections for i in s.items if i.overdue][:MAX_LISTED]
    if late_items:
        lines += ["", _("Terlambat:"), *(_line(item) for item in late_items)]
    subject = _("Tugas Anda hari ini: %(n)s (%(late)s terlambat)") % {
        "n": inbox.count,
        "late": inbox.late,
    }
    body = "\n".join([subject, "", *lines, "", _("Buka: %(url)s") % {"url": _inbox_url()}])
    _deliver(
        preference,
        subject=subject,
        body=body,
        template=DIGEST_TEMPLATE,
        params=[str(inbox.count), str(inbox.late), _inbox_url()],
    )
    return inbox.count
