"""What the partners' admin modules share: a form told who is asking, and
the outlets a user may pick."""

from __future__ import annotations

from facilities.models import PartnerOutlet
from facilities.scoping import scope_for


def with_actor(form_class, request):
    """The admin's form class, told who is asking (its clean() calls a service)."""

    class WithActor(form_class):
        def __init__(self, *args, **inner):
            super().__init__(*args, actor=request.user, **inner)

    return WithActor


def scoped_outlets(request):
    return scope_for(request.user).filter_facility_rows(
        PartnerOutlet.objects.select_related("facility"), "facility"
    )
