"""Packaging houses: a facility asks a house of its city for help with a
product, the house answers with a proposal, the facility accepts it, and the
accepted packaging becomes an edit of the product through catalog's own
services, so an approved listing goes back to the Kanwil's review like any
other edit (catalog.services.listing.REVIEWED_FIELDS, photos too)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from catalog import services as catalog_services
from catalog.models import Product
from core.images import process_image
from facilities.scoping import scope_for
from orders.services.common import IDEMPOTENCY_KEY_RE
from partners.models import (
    PackagingHouse,
    PackagingPhoto,
    PackagingProposal,
    PackagingRequest,
    PartnerAccount,
)
from partners.services.accounts import PartnerError

MAX_PROPOSAL_PHOTOS = 4
# The label data a proposal may carry, written to the product on acceptance.
LABEL_FIELDS = ("composition", "net_content", "food_registration", "halal_certificate")


def _checked_photo(upload) -> ContentFile:
    """The upload through the photo pipeline (size, type, bombs), re-encoded."""
    processed = process_image(upload, renditions=False)
    return ContentFile(processed.original)


def houses_for(facility) -> list[PackagingHouse]:
    """The active packaging houses of the facility's city: whom it may ask."""
    return list(PackagingHouse.objects.filter(is_active=True, city__iexact=facility.city.strip()))


def packaging_request_create(
    *, actor, product: Product, house: PackagingHouse, note: str, photo=None
) -> PackagingRequest:
    """A facility asks `house` for help with `product`. Only the product's
    own facility (or head office), only a house of the facility's city.
    Raises PartnerError, core.images.ImageRejected for a bad photo."""
    facility = product.facility
    if not scope_for(actor).may_act_for(facility.pk):
        raise PartnerError(_("Anda tidak berwenang atas produk ini."))
    if not house.is_active or house.city.strip().lower() != facility.city.strip().lower():
        raise PartnerError(_("Rumah kemasan ini tidak melayani kota UPT Anda."))
    if not (note or "").strip():
        raise PartnerError(_("Tulis apa yang dibutuhkan."))
    request = PackagingRequest(
        facility=facility, product=product, house=house, note=note.strip(), created_by=actor
    )
    if photo:
        request.photo.save("request.jpg", _checked_photo(photo), save=False)
    request.save()
    return request


def _refuse_other_house(account: PartnerAccount, request: PackagingRequest) -> None:
    if (
        not account.user.is_active
        or account.packaging_house_id is None
        or account.packaging_house_id != request.house_id
    ):
        raise PartnerError(_("Akun ini tidak berwenang atas permintaan tersebut."))


def packaging_proposal_send(
    *,
    account: PartnerAccount,
    request: PackagingRequest,
    text: str,
    key: str,
    price: int | None = None,
    photos=(),
    **label,
) -> PackagingProposal:
    """The house answers `request`: a text, a price, photos of the new
    packaging and label data. The same key twice is one proposal."""
    _refuse_other_house(account, request)
    if not IDEMPOTENCY_KEY_RE.fullmatch(key or ""):
        raise PartnerError(_("Formulir kedaluwarsa. Muat ulang halaman lalu kirim lagi."))
    if request.status not in (PackagingRequest.Status.OPEN, PackagingRequest.Status.PROPOSED):
        raise PartnerError(_("Permintaan ini sudah selesai."))
    if not (text or "").strip():
        raise PartnerError(_("Tulis usulan Anda."))
    photos = list(photos)[:MAX_PROPOSAL_PHOTOS]
    files = [_checked_photo(photo) for photo in photos]
    fields = {name: (label.get(name) or "").strip() for name in LABEL_FIELDS}
    try:
        with transaction.atomic():
            proposal = PackagingProposal.objects.create(
                request=request,
                text=text.strip(),
                price=price,
                key=key,
                created_by=account.user,
                **fields,
            )
            for content in files:
                photo = PackagingPhoto(proposal=proposal)
                photo.file.save("proposal.jpg", content, save=False)
                photo.save()
            PackagingRequest.objects.filter(pk=request.pk).update(
                status=PackagingRequest.Status.PROPOSED
            )
            return proposal
    except IntegrityError:
        return PackagingProposal.objects.get(request=request, key=key)


def packaging_proposal_accept(*, actor, proposal: PackagingProposal) -> PackagingProposal:
    """The facility takes the proposal: its label data and photos become an
    edit of the product through catalog's product and photo services (an
    approved listing goes back to review; it is public again only when the
    Kanwil approves). Other proposals of the request are set aside. Twice is
    once. Raises PartnerError, catalog's ListingError."""
    with transaction.atomic():
        locked = (
            PackagingProposal.objects.select_for_update(of=("self",))
            .select_related("request", "request__product")
            .get(pk=proposal.pk)
        )
        request = locked.request
        if not scope_for(actor).may_act_for(request.facility_id):
            raise PartnerError(_("Anda tidak berwenang atas permintaan ini."))
        if locked.status == PackagingProposal.Status.ACCEPTED:
            return locked
        if locked.status != PackagingProposal.Status.SENT:
            raise PartnerError(_("Usulan ini sudah tidak berlaku."))
        product = request.product
        changes = {name: getattr(locked, name) for name in LABEL_FIELDS if getattr(locked, name)}
        if changes:
            catalog_services.product_update(product=product, actor=actor, **changes)
        for photo in locked.photos.all():
            with photo.file.open("rb") as upload:
                catalog_services.product_image_add(
                    product=product,
                    upload=upload,
                    alt_text=_("Kemasan baru %(name)s") % {"name": product.name},
                    actor=actor,
                )
        locked.status = PackagingProposal.Status.ACCEPTED
        locked.decided_by = actor
        locked.save(update_fields=["status", "decided_by"])
        request.proposals.exclude(pk=locked.pk).filter(status=PackagingProposal.Status.SENT).update(
            status=PackagingProposal.Status.DECLINED
        )
        PackagingRequest.objects.filter(pk=request.pk).update(
            status=PackagingRequest.Status.ACCEPTED
        )
        return locked
