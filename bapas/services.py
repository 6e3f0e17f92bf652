"""Every way a Bapas client's business changes: registered by its Bapas, a
mentoring visit recorded, supervision ended, the client's decision after it,
the client's data exported or erased.

Who may do what is bapas.selectors.bapas_scope_for (the one rule); each
function asks it and raises EnterpriseError (an Indonesian message) when the
actor may not. Each runs in its own transaction and writes an EnterpriseEvent.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bapas.consent_files import clean_consent
from bapas.models import Enterprise, EnterpriseEvent, MentoringVisit
from bapas.selectors import bapas_scope_for, client_account, erasure_holds, export_data
from facilities.models import BankAccount, Facility, Membership
from facilities.services import (
    AccountError,
    check_password,
    facility_origin_set,
    staff_account_create,
)
from orders.models import DeliverySettings, ShippingRate

ERASED = "(dihapus)"


class EnterpriseError(Exception):
    """A refused change; str(error) is an Indonesian message."""


class EnterpriseHeld(EnterpriseError):
    """Erasure refused while something is still owed; `reasons` says what."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


def _event(enterprise, kind, actor, note="") -> None:
    EnterpriseEvent.objects.create(enterprise=enterprise, kind=kind, actor=actor, note=note[:255])


def _unique_slug(name: str) -> str:
    base = slugify(name)[:140] or "usaha"
    slug, n = base, 1
    while Facility.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_registration(
    *, shop_name, client_name, show_client_name, story_shared, story, starts, ends, signed_on
):
    if not shop_name:
        raise EnterpriseError(_("Isi nama toko."))
    if not client_name:
        raise EnterpriseError(
            _("Isi nama klien (untuk rekening dan akun; tidak tampil bila tidak dipilih).")
        )
    if not show_client_name and client_name.casefold() in shop_name.casefold():
        # The client chose a shop name only: the shop's name must not name them.
        raise EnterpriseError(
            _("Nama toko memuat nama klien, padahal klien memilih namanya tidak tampil.")
        )
    if story.strip() and not story_shared:
        raise EnterpriseError(_("Kisah usaha hanya diisi bila klien setuju kisahnya diceritakan."))
    if ends < starts:
        raise EnterpriseError(_("Akhir pembimbingan harus setelah awalnya."))
    if signed_on > timezone.localdate():
        raise EnterpriseError(_("Tanggal persetujuan tertulis tidak boleh di masa depan."))


def enterprise_register(
    *,
    actor,
    shop_name: str,
    client_name: str,
    consent_signed_on: date,
    consent_form,
    supervision_starts_on: date,
    supervision_ends_on: date,
    bank_name: str,
    account_number: str,
    username: str,
    password: str,
    show_client_name: bool = False,
    story_shared: bool = False,
    story: str = "",
    about: str = "",
    address: str = "",
    whatsapp: str = "",
) -> Enterprise:
    """A Bapas officer registers a client's business: its facility (kind
    usaha, in the Bapas's region and town, shipping from where the Bapas
    ships, with the Bapas's courier rate table), its bank account in the
    client's name, courier delivery with online payment and bank transfer,
    the client's own login, and the
    Enterprise row with the signed consent. Raises EnterpriseError."""
    scope = bapas_scope_for(actor)
    if not scope.is_mentor:
        raise EnterpriseError(_("Hanya petugas Bapas yang dapat mendaftarkan usaha binaan."))
    shop_name, client_name = shop_name.strip(), client_name.strip()
    _check_registration(
        shop_name=shop_name,
        client_name=client_name,
        show_client_name=show_client_name,
        story_shared=story_shared,
        story=story,
        starts=supervision_starts_on,
        ends=supervision_ends_on,
        signed_on=consent_signed_on,
    )
    if not bank_name.strip() or not account_number.strip():
        raise EnterpriseError(_("Isi bank dan nomor rekening atas nama klien."))
    try:
        consent = clean_consent(consent_form)
    except Exception as error:  # ValidationError: its message is Indonesian
        raise EnterpriseError(" ".join(getattr(error, "messages", [str(error)]))) from None
    try:
        check_password(password, None)
    except AccountError as error:
        raise EnterpriseError(str(error)) from None
    bapas = Facility.objects.get(pk=scope.bapas_id)
    try:
        with transaction.atomic():
            if Facility.objects.filter(name__iexact=shop_name).exists():
                raise EnterpriseError(_("Nama toko %(name)s sudah dipakai.") % {"name": shop_name})
            facility = Facility.objects.create(
                region=bapas.region,
                kind=Facility.Kind.ENTERPRISE,
                name=shop_name,
                slug=_unique_slug(shop_name),
                # The shop's public address: the client gives one, or only the
                # town shows (never a home address by default).
                address=address.strip() or bapas.city,
                city=bapas.city,
                province=bapas.province,
                timezone=bapas.timezone,
                whatsapp=whatsapp.strip(),
                about=about.strip(),
            )
            if bapas.origin_village_id or bapas.origin_district_id:
                facility_origin_set(
                    facility=facility,
                    village_code=bapas.origin_village_id or "",
                    district_code="" if bapas.origin_village_id else bapas.origin_district_id,
                )
            BankAccount.objects.create(
                facility=facility,
                bank_name=bank_name.strip(),
                account_number=account_number.strip(),
                account_holder=client_name,
            )
            # No showroom: couriers, online payment and transfer to the client's account.
            DeliverySettings.objects.create(
                facility=facility,
                pickup_enabled=False,
                pay_at_pickup_enabled=False,
                courier_enabled=True,
            )
            # The same town's couriers price the same: start from the Bapas's
            # rate table (the client edits it in the admin like any facility).
            ShippingRate.objects.bulk_create(
                ShippingRate(
                    facility=facility,
                    province=rate.province,
                    first_kg_fee=rate.first_kg_fee,
                    next_kg_fee=rate.next_kg_fee,
                    estimate=rate.estimate,
                )
                for rate in ShippingRate.objects.filter(facility=bapas)
            )
            staff_account_create(
                actor=None,  # checked above: a Bapas officer, for its own client only
                username=username,
                password=password,
                role=Membership.Role.FACILITY_STAFF,
                facility=facility,
                first_name=client_name,
            )
            enterprise = Enterprise(
                facility=facility,
                bapas=bapas,
                client_name=client_name,
                show_client_name=show_client_name,
                story_shared=story_shared,
                story=story.strip() if story_shared else "",
                consent_signed_on=consent_signed_on,
                supervision_starts_on=supervision_starts_on,
                supervision_ends_on=supervision_ends_on,
                registered_by=actor,
            )
            enterprise.consent_form.save(consent.name, consent.content, save=False)
            enterprise.save()
            _event(enterprise, EnterpriseEvent.Kind.REGISTERED, actor)
    except AccountError as error:
        raise EnterpriseError(str(error)) from None
    except IntegrityError as error:  # the same shop registered a moment ago
        raise EnterpriseError(
            _("Nama toko %(name)s sudah dipakai.") % {"name": shop_name}
        ) from error
    return enterprise


def _locked(enterprise: Enterprise) -> Enterprise:
    return Enterprise.objects.select_for_update().select_related("facility").get(pk=enterprise.pk)


def enterprise_visit_record(
    *,
    actor,
    enterprise: Enterprise,
    visited_on: date,
    topic: str,
    notes: str = "",
    next_step: str = "",
) -> MentoringVisit:
    """The mentoring Bapas records a visit. Raises EnterpriseError."""
    if not bapas_scope_for(actor).mentors(enterprise):
        raise EnterpriseError(_("Hanya Bapas pembimbing yang mencatat kunjungan."))
    if enterprise.is_erased:
        raise EnterpriseError(_("Data usaha ini sudah dihapus atas permintaan klien."))
    if not topic.strip():
        raise EnterpriseError(_("Isi topik kunjungan."))
    if visited_on > timezone.localdate():
        raise EnterpriseError(_("Tanggal kunjungan tidak boleh di masa depan."))
    with transaction.atomic():
        visit = MentoringVisit.objects.create(
            enterprise=enterprise,
            visited_on=visited_on,
            topic=topic.strip(),
            notes=notes.strip(),
            next_step=next_step.strip(),
            recorded_by=actor,
        )
        _event(enterprise, EnterpriseEvent.Kind.VISIT, actor, visit.topic)
    return visit


def enterprise_supervision_end(*, actor, enterprise: Enterprise) -> Enterprise:
    """The Bapas ends the supervision. The shop keeps selling, marked as
    before, until the client decides (enterprise_decide). Raises EnterpriseError."""
    if not bapas_scope_for(actor).mentors(enterprise):
        raise EnterpriseError(_("Hanya Bapas pembimbing yang mengakhiri pembinaan."))
    with transaction.atomic():
        enterprise = _locked(enterprise)
        if enterprise.status == Enterprise.Status.ENDED:
            return enterprise  # a second click changes nothing
        enterprise.status = Enterprise.Status.ENDED
        enterprise.ended_at = timezone.now()
        enterprise.save(update_fields=["status", "ended_at"])
        _event(enterprise, EnterpriseEvent.Kind.ENDED, actor)
    return enterprise


def enterprise_decide(
    *, actor, enterprise: Enterprise, decision: str, keep_mark: bool = True
) -> Enterprise:
    """The client decides after supervision: continue (the shop stays
    listed; the Bapas mark stays only if `keep_mark`) or leave (the shop is
    switched off at once, so its products leave the public pages and no new
    order comes; orders already placed are still finished and paid out).
    Leaving is final. Raises EnterpriseError."""
    if not bapas_scope_for(actor).owns(enterprise):
        raise EnterpriseError(_("Hanya klien pemilik usaha yang memutuskan."))
    if decision not in (Enterprise.Decision.CONTINUE, Enterprise.Decision.LEAVE):
        raise EnterpriseError(_("Pilih lanjut berjualan atau berhenti."))
    with transaction.atomic():
        enterprise = _locked(enterprise)
        if enterprise.status != Enterprise.Status.ENDED:
            raise EnterpriseError(_("Keputusan diambil setelah masa pembinaan berakhir."))
        if enterprise.is_leaving:
            raise EnterpriseError(_("Usaha ini sudah berhenti berjualan."))
        mark_before = enterprise.shows_bapas_mark
        enterprise.decision = decision
        enterprise.decided_at = timezone.now()
        if decision == Enterprise.Decision.CONTINUE:
            enterprise.shows_bapas_mark = keep_mark
        enterprise.save(update_fields=["decision", "decided_at", "shows_bapas_mark"])
        if decision == Enterprise.Decision.LEAVE:
            facility = enterprise.facility
            facility.is_active = False
            facility.save(update_fields=["is_active", "updated_at"])
        _event(enterprise, EnterpriseEvent.Kind.DECIDED, actor, enterprise.get_decision_display())
        if enterprise.shows_bapas_mark != mark_before:
            _event(enterprise, EnterpriseEvent.Kind.MARK, actor)
    return enterprise


def enterprise_export(*, actor, enterprise: Enterprise) -> dict:
    """The client's download of their business: the shop, its products, an
    orders summary per month and per order (no shopper's data: that is the
    shoppers'), the mentoring visits. Recorded in the history. Raises EnterpriseError."""
    if not bapas_scope_for(actor).owns(enterprise):
        raise EnterpriseError(_("Hanya klien pemilik usaha yang dapat mengunduh datanya."))
    data = export_data(enterprise)
    with transaction.atomic():
        _event(enterprise, EnterpriseEvent.Kind.EXPORTED, actor)
    return data


def enterprise_erase(*, actor, enterprise: Enterprise) -> Enterprise:
    """The client's deletion: after leaving, and once nothing is owed
    (erasure_holds: open orders, money not yet paid out, an order's own
    holds), the client's name, story, consent form, visits, the shop's
    contact and the bank account's details are removed, the login closed.
    Kept, and said so on the page: orders and the settlement ledger (amounts,
    dates, transfer references), which the books and tax law need.
    Raises EnterpriseHeld or EnterpriseError."""
    if not bapas_scope_for(actor).owns(enterprise):
        raise EnterpriseError(_("Hanya klien pemilik usaha yang dapat meminta penghapusan."))
    # Decided from the row as it is now, not as the caller last read it.
    enterprise = Enterprise.objects.select_related("facility").get(pk=enterprise.pk)
    if enterprise.is_erased:
        return enterprise
    if not enterprise.is_leaving:
        raise EnterpriseError(
            _("Data dihapus setelah usaha berhenti berjualan; putuskan berhenti lebih dulu.")
        )
    reasons = erasure_holds(enterprise)
    if reasons:
        raise EnterpriseHeld(reasons)
    account = client_account(enterprise)
    with transaction.atomic():
        enterprise = _locked(enterprise)
        facility = enterprise.facility
        if enterprise.consent_form:
            enterprise.consent_form.delete(save=False)
        enterprise.client_name = ERASED
        enterprise.show_client_name = False
        enterprise.story_shared = False
        enterprise.story = ""
        enterprise.shows_bapas_mark = False
        enterprise.erased_at = timezone.now()
        enterprise.save()
        enterprise.visits.all().delete()
        facility.name = _("Usaha binaan %(n)s (dihapus)") % {"n": facility.pk}
        facility.slug = f"usaha-dihapus-{facility.pk}"
        facility.about = ""
        facility.address = ERASED
        facility.phone = facility.whatsapp = facility.email = ""
        facility.is_active = False
        facility.save()
        for bank in BankAccount.objects.filter(facility=facility):
            bank.account_holder = ERASED
            bank.account_number = "****" + bank.account_number[-4:]
            bank.is_active = False
            bank.save(update_fields=["account_holder", "account_number", "is_active"])
        if account is not None:
            account.username = f"usaha-dihapus-{facility.pk}"
            account.first_name = account.last_name = account.email = ""
            account.is_active = False
            account.password = make_password(None)
            account.save()
        _event(enterprise, EnterpriseEvent.Kind.ERASED, actor)
    return enterprise
