"""Read-side queries for facilities, with their joins already in place."""

from django.db.models import QuerySet

from facilities.models import Facility


def active_facilities() -> QuerySet[Facility]:
    return Facility.objects.filter(is_active=True).select_related("region")


def facility_directory(*, province: str = "", kind: str = "") -> QuerySet[Facility]:
    """Active facilities for the public directory, optionally narrowed."""
    facilities = active_facilities()
    if province:
        facilities = facilities.filter(province=province)
    if kind:
        facilities = facilities.filter(kind=kind)
    return facilities.order_by("province", "name")


def directory_provinces() -> list[str]:
    return list(
        Facility.objects.filter(is_active=True)
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )
