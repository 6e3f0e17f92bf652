"""Who may use a till: the one place for the stand's access rules.

Facility staff (facilities.scoping: their own facility) and head office sell
and manage; a volunteer sells at the one till its facility made it for, until
the event ends, and reaches nothing else (it is not staff, so the admin is
closed to it too). Kanwil reviewers read the report of their region only."""

from __future__ import annotations

from django.utils import timezone

from facilities.scoping import scope_for
from stand.models import Till, Volunteer


def volunteer_of(user) -> Volunteer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        volunteer = user.stand_volunteer
    except Volunteer.DoesNotExist:
        return None
    if not user.is_active or volunteer.expires_at <= timezone.now():
        return None
    return volunteer


def may_manage(user, till: Till) -> bool:
    """Open, set aside, close, make volunteers, resolve flagged sales."""
    return scope_for(user).may_act_for(till.facility_id)


def may_sell(user, till: Till) -> bool:
    if may_manage(user, till):
        return True
    volunteer = volunteer_of(user)
    return volunteer is not None and volunteer.till_id == till.pk


def may_open_for(user, facility_id: int) -> bool:
    return getattr(user, "is_authenticated", False) and scope_for(user).may_act_for(facility_id)
