from django.shortcuts import get_object_or_404, render

from facilities.filters import FacilityDirectoryFilter
from facilities.selectors import active_facilities, facility_directory


def directory(request):
    """All active facilities, filterable by province and kind."""
    filterset = FacilityDirectoryFilter(request.GET or None, queryset=facility_directory())
    return render(
        request,
        "facilities/directory.html",
        {"filter": filterset, "facilities": filterset.qs},
    )


def storefront(request, slug):
    """A facility's own page: who they are, where to find them, what they make."""
    facility = get_object_or_404(active_facilities().prefetch_related("bank_accounts"), slug=slug)
    return render(request, "facilities/storefront.html", {"facility": facility})
