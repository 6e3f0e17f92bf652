"""The inbox on the admin index and its count in every admin page's header."""

from django import template
from django.utils import timezone

from facilities.inbox import inbox_counts, inbox_for
from facilities.models import Facility
from facilities.scoping import scope_for

register = template.Library()


@register.inclusion_tag("admin/_inbox_badge.html", takes_context=True)
def inbox_badge(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {"show": False}
    count, late = inbox_counts(user)
    return {"show": True, "count": count, "late": late}


def inbox_context(request, *, facility_id: int | None = None) -> dict:
    """What admin/_inbox.html shows: the user's sections, and for the Kanwil
    and head office the facilities with late work (one more query)."""
    user = request.user
    scope = scope_for(user)
    now = timezone.now()
    inbox = inbox_for(user, scope, now=now, facility_id=facility_id)
    late_facilities = []
    if (scope.is_reviewer or scope.is_national) and inbox.late_by_facility:
        names = Facility.objects.filter(pk__in=inbox.late_by_facility).order_by("name")
        late_facilities = [
            (facility, inbox.late_by_facility[facility.pk]) for facility in names.only("name")
        ]
    return {
        "inbox": inbox,
        "sections": [s for s in inbox.sections if s.count],
        "late_facilities": late_facilities,
        "facility_filter": facility_id,
        "show_facility": not scope.is_facility_staff,
        "now": now,
    }


@register.inclusion_tag("admin/_inbox.html", takes_context=True)
def inbox_panel(context):
    return inbox_context(context["request"])
