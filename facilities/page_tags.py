"""What the facilities app tells the page cache (core.page_cache).

`facility:<slug>` is a facility's storefront and its products' pages (they
show its outlets and next exhibition); `exhibitions` is /pameran/. A
facility row's own save (its name is on every card of its products, and
deactivating it withdraws them all) and a region's retire everything: rare.
"""

from core.page_cache import GLOBAL

EXHIBITIONS = "exhibitions"


def facility_tag(slug: str) -> str:
    return f"facility:{slug}"


def _exhibition_tags(exhibition) -> set[str]:
    return {EXHIBITIONS, facility_tag(exhibition.facility.slug)}


def _participants_tags(instance, pk_set) -> set[str]:
    from facilities.models import Exhibition, Facility

    if isinstance(instance, Exhibition):
        facilities = set(
            Facility.objects.filter(pk__in=pk_set or ()).values_list("slug", flat=True)
        )
        facilities.add(instance.facility.slug)
    else:  # facility.exhibitions.add(...): the facility's own pages
        facilities = {instance.slug}
    return {EXHIBITIONS, *(facility_tag(slug) for slug in facilities)}


def register() -> None:
    """Called from FacilitiesConfig.ready()."""
    from core.page_cache import (
        register_private_models,
        register_public_m2m,
        register_public_model,
    )
    from facilities.models import (
        BankAccount,
        Exhibition,
        Facility,
        Membership,
        PartnerOutlet,
        ProceedsShare,
        Region,
    )

    register_public_model(Region, tags=lambda region: {GLOBAL})
    register_public_model(Facility, tags=lambda facility: {GLOBAL})
    register_public_model(PartnerOutlet, tags=lambda outlet: {facility_tag(outlet.facility.slug)})
    register_public_model(Exhibition, tags=_exhibition_tags)
    register_public_m2m(Exhibition.participants.through, tags=_participants_tags)
    register_private_models(BankAccount, Membership, ProceedsShare)
