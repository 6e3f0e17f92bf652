"""Shoppers' requests (export, correction, deletion) and staff handling them."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities.scoping import scope_for
from orders.delivery import fees as shipping
from orders.models import DeliveryMethod, Order
from orders.privacy.erasure import order_anonymise
from orders.privacy.held import mail_shopper_on_commit, request_hold
from orders.privacy.holds import ErasureHeld, erasure_holds, erasure_refusal
from orders.privacy.models import OrderErasure, PrivacyRequest
from orders.privacy.rules import CORRECTABLE, RESPONSE_HOURS, PrivacyError
from orders.services.address import address_checked
from orders.services.checkout_input import Address, Contact, _address_fields
from orders.services.common import OrderError

log = logging.getLogger("orders.privacy")  # one name for the package


def _due(now):
    return now + timedelta(hours=RESPONSE_HOURS)


def order_data_export(*, order: Order) -> dict:
    """Everything this site holds about the shopper in `order`, as plain data,
    and an access request row saying it was handed out."""
    order = (
        Order.objects.select_related("facility", "checkout")
        .prefetch_related("lines", "events", "payment_proofs", "privacy_requests")
        .get(pk=order.pk)
    )
    data = {
        "kode_pesanan": order.code,
        "dibuat": order.created_at.isoformat(),
        "upt": order.facility.name,
        "status": order.get_status_display(),
        "kontak": {
            "nama": order.contact_name,
            "telepon": order.contact_phone,
            "email": order.contact_email,
        },
        "pengiriman": {
            "cara": order.get_delivery_method_display(),
            "provinsi": order.province,
            "kota": order.city,
            "kecamatan": order.district,
            "kelurahan_desa": order.village,
            "kode_wilayah": order.region_village_code or order.region_province_code,
            "kode_pos": order.postal_code,
            "alamat_jalan": order.street,
            "kurir": order.courier,
            "nomor_resi": order.tracking_number,
        },
        "catatan": order.note,
        "pembayaran": order.get_payment_method_display(),
        "produk": [
            {
                "nama": line.product_name,
                "jumlah": line.quantity,
                "harga_satuan": line.unit_price,
                "jumlah_harga": line.line_total,
            }
            for line in order.lines.all()
        ],
        "subtotal": order.subtotal,
        "ongkos_kirim": order.shipping_fee,
        "total": order.total,
        "riwayat": [
            {
                "waktu": e.created_at.isoformat(),
                "status": e.get_to_status_display(),
                "catatan": e.note,
            }
            for e in order.events.all()
        ],
        "bukti_transfer": [
            {"diunggah": p.uploaded_at.isoformat(), "status": p.get_status_display()}
            for p in order.payment_proofs.all()
        ],
        "kebijakan_privasi_disetujui": order.checkout.privacy_notice_version,
        "permintaan_data": [
            {
                "jenis": r.get_kind_display(),
                "status": r.get_status_display(),
                "diajukan": r.created_at.isoformat(),
            }
            for r in order.privacy_requests.all()
        ],
    }
    now = timezone.now()
    PrivacyRequest.objects.create(
        order=order,
        kind=PrivacyRequest.Kind.ACCESS,
        status=PrivacyRequest.Status.DONE,
        created_at=now,
        due_at=_due(now),
        handled_at=now,
    )
    return data


CORRECTION_FIELDS = ("contact_name", "contact_phone", "contact_email")
# What a delivery address correction writes: the same fields, names and codes
# as placement (orders.services.checkout_input._address_fields).
ADDRESS_FIELDS = tuple(_address_fields(Address()))

FEE_KEPT = gettext_lazy(
    "Ongkos kirim pesanan ini dihitung ke kode pos %(postal)s: alamat baru harus tetap di "
    "kode pos itu. Untuk tujuan lain hubungi UPT, atau batalkan dan pesan lagi."
)


def address_change_problem(order: Order, address: Address) -> tuple[str, str] | None:
    """Why a corrected (already checked) address cannot replace the order's,
    as (address field, message), or None. The delivery was priced for the old
    address, so a correction keeps what priced it: local delivery stays inside
    the facility's regency/city, a courier parcel keeps its postal code (the
    aggregator and the rate table price by it and its province)."""
    if order.delivery_method == DeliveryMethod.LOCAL and not shipping.local_delivery_reaches(
        order.facility,
        province_code=address.province_code,
        regency_code=address.regency_code,
        city=address.city,
    ):
        where = {"city": order.facility.city, "province": order.facility.province}
        return "regency", str(shipping.LOCAL_AREA_MESSAGE % where)
    if (
        order.delivery_method == DeliveryMethod.COURIER
        and order.postal_code
        and address.postal_code != order.postal_code
    ):
        return "postal_code", str(FEE_KEPT % {"postal": order.postal_code})
    return None


def _address_refused(message: str, *, field: str | None = None) -> PrivacyError:
    """A refused address: `field` says where the form shows it (None: above
    the address fields); the view shows it at the top too."""
    error = PrivacyError(message)
    error.field = field
    return error


def order_contact_correct(*, order: Order, contact: Contact, address: Address | None) -> list[str]:
    """Correct the shopper's contact (and, for delivery, address) on an order
    that has not left the facility; returns the names of the fields changed.

    The address is checked again against the region data and stored with its
    codes and official names exactly as placement stores them
    (orders.services.address_checked); it must keep what priced the delivery
    (address_change_problem). A correction request row records which fields
    changed, not their values. Raises PrivacyError when the order is past the
    point of changing or the address is refused.
    """
    if address is not None:
        try:
            address = address_checked(address)
        except OrderError as error:
            raise _address_refused(" ".join(error.messages)) from None
    with transaction.atomic():
        locked = Order.objects.select_for_update().select_related("facility").get(pk=order.pk)
        if locked.status not in CORRECTABLE:
            raise PrivacyError(
                _(
                    "Pesanan %(code)s berstatus %(status)s: data kontaknya tidak bisa diubah "
                    "lagi di sini. Hubungi UPT bila ada yang keliru."
                )
                % {"code": locked.code, "status": locked.get_status_display()}
            )
        wanted = {
            "contact_name": contact.name,
            "contact_phone": contact.phone,
            "contact_email": contact.email,
        }
        if locked.is_delivery and address is not None:
            problem = address_change_problem(locked, address)
            if problem:
                raise _address_refused(problem[1], field=problem[0])
            wanted.update(_address_fields(address))
        changed = [name for name, value in wanted.items() if getattr(locked, name) != value]
        if not changed:
            return []
        for name in changed:
            setattr(locked, name, wanted[name])
        locked.save(update_fields=[*changed, "updated_at"])
        now = timezone.now()
        labels = [str(Order._meta.get_field(name).verbose_name) for name in changed]
        PrivacyRequest.objects.create(
            order=locked,
            kind=PrivacyRequest.Kind.CORRECTION,
            status=PrivacyRequest.Status.DONE,
            detail=", ".join(labels)[:300],
            created_at=now,
            due_at=_due(now),
            handled_at=now,
        )
    for name in changed:
        setattr(order, name, wanted[name])
    return changed


WAITING = (PrivacyRequest.Status.OPEN, PrivacyRequest.Status.HELD)


def privacy_deletion_request(*, order: Order) -> PrivacyRequest:
    """Record a shopper's request to delete their data in `order`.

    Refused at once, with the reason kept on the row, while the order is
    still running (erasure_refusal) or already anonymised. While something is
    still owed on it (orders.privacy.holds.erasure_holds) it is HELD with the
    reasons and the expected day, the shopper is mailed, and the daily
    retention run completes it when nothing holds it. Otherwise it waits for
    staff, due in 3x24 hours. A second request while one waits returns the
    waiting one.
    """
    now = timezone.now()
    refusal = erasure_refusal(order)
    if OrderErasure.objects.filter(order=order).exists():
        refusal = _("Data pribadi pesanan %(code)s sudah dihapus.") % {"code": order.code}
    if refusal:
        return PrivacyRequest.objects.create(
            order=order,
            kind=PrivacyRequest.Kind.DELETION,
            status=PrivacyRequest.Status.REFUSED,
            refusal_reason=refusal[:300],
            created_at=now,
            due_at=_due(now),
            handled_at=now,
        )
    waiting = PrivacyRequest.objects.filter(
        order=order, kind=PrivacyRequest.Kind.DELETION, status__in=WAITING
    ).first()
    if waiting is not None:
        return waiting
    holds = erasure_holds(order, now=now)
    try:
        with transaction.atomic():
            created = PrivacyRequest(
                order=order,
                kind=PrivacyRequest.Kind.DELETION,
                status=PrivacyRequest.Status.OPEN,
                created_at=now,
                due_at=_due(now),
            )
            if holds:
                # Answered at once: it waits for what is owed, not for staff.
                request_hold(created, holds)
                created.handled_at = now
                created.save()
                mail_shopper_on_commit(created, kind="held", to=order.contact_email)
                return created
            created.save()
            # The facility has 3x24 hours: it must hear of the request now.
            transaction.on_commit(lambda: _mail_deletion_request(created.pk))
            return created
    except IntegrityError:  # a concurrent double submit made it first
        return PrivacyRequest.objects.get(
            order=order, kind=PrivacyRequest.Kind.DELETION, status__in=WAITING
        )


def _mail_deletion_request(request_id: int) -> None:
    from orders.mail import facility_recipients  # the one rule for who hears of an order

    request = PrivacyRequest.objects.select_related("order__facility").get(pk=request_id)
    to = facility_recipients(request.order.facility)
    if not to:
        return
    context = {"request": request, "SITE_URL": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("privacy/mail/deletion_subject.txt", context).strip()
        body = render_to_string("privacy/mail/deletion_facility.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:  # the request stands; the admin lists it with its deadline
        log.exception("privacy request mail failed: %s", subject)


def _ensure_in_scope(actor, request: PrivacyRequest) -> None:
    orders = scope_for(actor).filter_facility_rows(Order.objects.filter(pk=request.order_id))
    if not orders.exists():
        raise PrivacyError(_("Permintaan ini di luar wilayah kerja Anda."))


def _lock_open(request: PrivacyRequest, *, held_too: bool = False) -> PrivacyRequest:
    locked = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    allowed = WAITING if held_too else (PrivacyRequest.Status.OPEN,)
    if locked.status not in allowed:
        raise PrivacyError(
            _("Permintaan untuk pesanan %(code)s sudah ditangani.") % {"code": locked.order.code}
        )
    return locked


def privacy_request_fulfil(*, request: PrivacyRequest, actor) -> PrivacyRequest:
    """Carry out an open deletion request: the same anonymisation as retention.

    When something is still owed on the order (an open complaint, a
    receivable, an unsettled refund: orders.privacy.holds) the request is
    HELD with those reasons, the shopper is mailed, and the daily retention
    run completes it later; when the data is needed for another reason it is
    refused with that reason. Neither raises: both are answers.
    Raises PrivacyError for a request out of the actor's scope or not open.
    """
    _ensure_in_scope(actor, request)
    with transaction.atomic():
        locked = _lock_open(request)
        email = locked.order.contact_email
        fields = ["status", "refusal_reason", "handled_by", "handled_at"]
        try:
            with transaction.atomic():
                order_anonymise(order=locked.order, reason=OrderErasure.Reason.REQUEST)
        except ErasureHeld as held:
            fields += request_hold(locked, held.holds)
            mail_shopper_on_commit(locked, kind="held", to=email)
        except PrivacyError as error:
            locked.status = PrivacyRequest.Status.REFUSED
            locked.refusal_reason = " ".join(error.messages)[:300]
        else:
            locked.status = PrivacyRequest.Status.DONE
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked.save(update_fields=sorted(set(fields)))
    return locked


def privacy_request_refuse(*, request: PrivacyRequest, actor, reason: str) -> PrivacyRequest:
    """Refuse an open (or held) deletion request with a reason the shopper
    will read (e.g. a legal duty to keep the data). Raises PrivacyError."""
    reason = (reason or "").strip()[:300]
    if not reason:
        raise PrivacyError(_("Tuliskan alasan penolakan."))
    _ensure_in_scope(actor, request)
    with transaction.atomic():
        locked = _lock_open(request, held_too=True)
        locked.status = PrivacyRequest.Status.REFUSED
        locked.refusal_reason = reason
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked.save(update_fields=["status", "refusal_reason", "handled_by", "handled_at"])
    return locked
