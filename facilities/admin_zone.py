"""Admin pages in the facility's own time zone (WIB, WITA or WIT).

An officer in Makassar reads "diajukan 09.30" as Makassar time; the server
runs on Asia/Jakarta. Facility staff get their facility's zone on every page
of an admin that uses this mixin; reviewers and head office, who read many
facilities at once, keep the site's zone (pages about one facility's row set
their own zone, e.g. the order page).
"""

from __future__ import annotations

from django.utils import timezone

from facilities.models import Facility
from facilities.scoping import scope_for


def staff_zone(request) -> str | None:
    """The time zone of the facility the user works at, if facility staff."""
    scope = scope_for(request.user)
    if not scope.is_facility_staff:
        return None
    cached = getattr(request, "_kb_zone", None)
    if cached is None:
        cached = (
            Facility.objects.filter(pk=scope.facility_id).values_list("timezone", flat=True).first()
            or ""
        )
        request._kb_zone = cached
    return cached or None


def rendered_in_zone(zone: str | None, render):
    """Call `render()` (a view) and render its template inside `zone`."""
    if not zone:
        return render()
    with timezone.override(zone):
        response = render()
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
    return response


class FacilityZoneAdminMixin:
    def changelist_view(self, request, extra_context=None):
        return rendered_in_zone(
            staff_zone(request),
            lambda: super(FacilityZoneAdminMixin, self).changelist_view(request, extra_context),
        )

    def history_view(self, request, object_id, extra_context=None):
        return rendered_in_zone(
            staff_zone(request),
            lambda: super(FacilityZoneAdminMixin, self).history_view(
                request, object_id, extra_context
            ),
        )
