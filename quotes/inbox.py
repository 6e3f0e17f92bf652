"""Quote requests waiting for the facility's answer in the inbox
(facilities.inbox): new ones and those the buyer asked to change. The
deadline is the buyer's own `needed_by`: a quote after it is of no use."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.inbox import InboxItem, register_source
from quotes.models import QuoteRequest, RequestStatus

LABEL = _("Permintaan penawaran perlu dijawab")
WAITING = [RequestStatus.OPEN, RequestStatus.CHANGE_REQUESTED]


def _rows(now):
    return (
        QuoteRequest.objects.filter(status__in=WAITING)
        .select_related("facility")
        .order_by("needed_by", "id")
    )


def _due(request) -> datetime:
    return timezone.make_aware(datetime.combine(request.needed_by, time.min))


def _item(request, now) -> InboxItem:
    due = _due(request)
    return InboxItem(
        kind="quotes",
        kind_label=str(LABEL),
        title=f"{request.code} · {request.buyer_organisation}",
        detail=request.get_status_display(),
        url=reverse("admin:quotes_quoterequest_change", args=[request.pk]),
        deadline=due,
        overdue=due < now,
        facility=request.facility,
    )


def register() -> None:
    register_source(
        "quotes",
        label=LABEL,
        rows=_rows,
        late=lambda now: Q(needed_by__lte=timezone.localdate(now)),
        item=_item,
        perm="quotes.view_quoterequest",
        position=50,
    )
