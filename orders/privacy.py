"""Shopper data under UU PDP 27/2022: the notice version, masking, the one
anonymisation that retention and deletion requests share, shoppers' requests,
and the staff access trail.

Services here follow orders.services' habits (keyword-only, atomic, a history
row each); they live apart so privacy can be read, and changed, in one place.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from facilities.scoping import scope_for
from orders.models import (
    Order,
    OrderEvent,
    OrderStatus,
    PaymentProof,
    StatementLine,
)
from orders.models_privacy import AccessEvent, OrderErasure, PrivacyRequest
from orders.services import Address, Contact, OrderError
from orders.states import FINAL, SHOPPER

log = logging.getLogger(__name__)

# The privacy notice's version, recorded on every checkout that agreed to it.
# Change it whenever templates/privacy/notice.html changes what it promises.
NOTICE_VERSION = "2026-11-28"

# UU PDP art. 32-44: most requests are answered within 3x24 hours.
RESPONSE_HOURS = 72

# Contact details may be corrected while the order has not left the facility.
CORRECTABLE = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PROCESSING})

ANONYMOUS_NAME = "Anonim"

# Fields that identify the shopper and the values they get on erasure. The
# province stays: reports count sales by it. Amounts, dates, the facility and
# the lines are not personal data and stay too.
ERASED_FIELDS = {
    "contact_name": ANONYMOUS_NAME,
    "contact_phone": "",
    "contact_email": "",
    "city": "",
    "district": "",
    "village": "",
    "region_regency_code": "",
    "region_district_code": "",
    "region_village_code": "",
    "postal_code": "",
    "street": "",
    "note": "",
    # A courier's tracking number opens the waybill with name and address.
    "tracking_number": "",
}


class PrivacyError(OrderError):
    """A privacy request refused; `messages` says why, in Indonesian."""


# --- masking (what the tracking page shows) ----------------------------------------


def mask_phone(phone: str) -> str:
    """+6281234567890 -> +62812••••••890: enough to recognise, not to call."""
    if len(phone) <= 7:
        return "•" * len(phone)
    return phone[:6] + "•" * (len(phone) - 9) + phone[-3:]


def mask_email(email: str) -> str:
    local, _sep, domain = email.partition("@")
    if not domain:
        return ""
    return f"{local[:1]}•••@{domain}"


def mask_text(value: str) -> str:
    """The first word's first letters only: 'Jl. Tebet Raya 5' -> 'Jl. T•••'."""
    words = value.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:1] + "•••"
    return f"{words[0]} {words[1][:1]}•••"


def masked_address(order: Order) -> str:
    parts = [mask_text(order.street), order.city, order.province]
    return ", ".join(p for p in parts if p)


# --- the one anonymisation ----------------------------------------------------------


def erasure_refusal(order: Order) -> str | None:
    """Why the shopper data of `order` must still be kept, or None.

    An open order needs its contact to be delivered and paid; money still being
    matched (a receipt not yet checked, a bank line not yet resolved) is a
    finance duty that needs to know who paid.
    """
    if order.status not in FINAL:
        return _(
            "Pesanan %(code)s masih berjalan (%(status)s): nama, nomor HP dan alamat masih "
            "dibutuhkan untuk menyelesaikannya. Ajukan lagi setelah pesanan selesai atau batal."
        ) % {"code": order.code, "status": order.get_status_display()}
    if PaymentProof.objects.filter(order=order, status=PaymentProof.Status.PENDING).exists():
        return _(
            "Bukti transfer pesanan %(code)s belum diperiksa UPT; datanya disimpan sampai "
            "pembayaran tuntas."
        ) % {"code": order.code}
    unresolved = StatementLine.objects.filter(order=order, resolved_at__isnull=True).exclude(
        outcome=StatementLine.Outcome.CONFIRMED
    )
    if unresolved.exists():
        return _(
            "Ada mutasi rekening untuk pesanan %(code)s yang masih dicocokkan UPT; datanya "
            "disimpan sampai urusan uangnya selesai."
        ) % {"code": order.code}
    return None


def order_anonymise(*, order: Order, reason: str) -> OrderErasure | None:
    """Replace the shopper's data in `order` by anonymous values and delete its
    receipt files; keep amounts, dates, facility, lines and province.

    Returns the erasure row, or None when the order was already anonymised
    (idempotent). Receipt files are deleted after commit, so a rollback never
    leaves a named order without its receipt. Raises PrivacyError when
    erasure_refusal says the data is still needed.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if OrderErasure.objects.filter(order=locked).exists():
            return None
        refusal = erasure_refusal(locked)
        if refusal:
            raise PrivacyError(refusal)
        Order.objects.filter(pk=locked.pk).update(**ERASED_FIELDS, updated_at=timezone.now())
        # What the shopper typed into the history (a cancellation reason).
        OrderEvent.objects.filter(order=locked, actor_label=SHOPPER).update(note="")
        if locked.events.filter(actor_label=SHOPPER, to_status=OrderStatus.CANCELLED).exists():
            Order.objects.filter(pk=locked.pk).update(cancel_reason="")
        proofs = list(PaymentProof.objects.filter(order=locked).exclude(file=""))
        names = [proof.file.name for proof in proofs]
        storage = PaymentProof._meta.get_field("file").storage
        PaymentProof.objects.filter(pk__in=[p.pk for p in proofs]).update(
            file="", rejection_reason=""
        )
        erasure = OrderErasure.objects.create(order=locked, reason=reason, receipt_files=len(names))
        transaction.on_commit(lambda: _delete_files(storage, names))
    for name, value in ERASED_FIELDS.items():
        setattr(order, name, value)
    return erasure


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a missing file is already gone; log the rest, retry next run
            log.exception("receipt file not deleted: %s", name)


# --- shoppers' requests -------------------------------------------------------------


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
ADDRESS_FIELDS = ("province", "city", "district", "village", "postal_code", "street")
# Order field -> Address attribute for the official codes picked.
ADDRESS_CODES = {
    "region_province_code": "province_code",
    "region_regency_code": "regency_code",
    "region_district_code": "district_code",
    "region_village_code": "village_code",
}


def order_contact_correct(*, order: Order, contact: Contact, address: Address | None) -> list[str]:
    """Correct the shopper's contact (and, for delivery, address) on an order
    that has not left the facility; returns the names of the fields changed.

    A correction request row records which fields changed, not their values.
    Raises PrivacyError when the order is past the point of changing.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
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
            wanted.update({name: getattr(address, name) for name in ADDRESS_FIELDS})
            wanted.update({name: getattr(address, attr) for name, attr in ADDRESS_CODES.items()})
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


def privacy_deletion_request(*, order: Order) -> PrivacyRequest:
    """Record a shopper's request to delete their data in `order`.

    Refused at once, with the reason kept on the row, while erasure_refusal
    says the data is still needed; otherwise it waits for staff, due in 3x24
    hours. A second request while one waits returns the waiting one.
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
        order=order, kind=PrivacyRequest.Kind.DELETION, status=PrivacyRequest.Status.OPEN
    ).first()
    if waiting is not None:
        return waiting
    try:
        with transaction.atomic():
            created = PrivacyRequest.objects.create(
                order=order,
                kind=PrivacyRequest.Kind.DELETION,
                status=PrivacyRequest.Status.OPEN,
                created_at=now,
                due_at=_due(now),
            )
            # The facility has 3x24 hours: it must hear of the request now.
            transaction.on_commit(lambda: _mail_deletion_request(created.pk))
            return created
    except IntegrityError:  # a concurrent double submit made it first
        return PrivacyRequest.objects.get(
            order=order, kind=PrivacyRequest.Kind.DELETION, status=PrivacyRequest.Status.OPEN
        )


def _mail_deletion_request(request_id: int) -> None:
    from orders.mail import _facility_recipients  # the one rule for who hears of an order

    request = PrivacyRequest.objects.select_related("order__facility").get(pk=request_id)
    to = _facility_recipients(request.order.facility)
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


def _lock_open(request: PrivacyRequest) -> PrivacyRequest:
    locked = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != PrivacyRequest.Status.OPEN:
        raise PrivacyError(
            _("Permintaan untuk pesanan %(code)s sudah ditangani.") % {"code": locked.order.code}
        )
    return locked


def privacy_request_fulfil(*, request: PrivacyRequest, actor) -> PrivacyRequest:
    """Carry out an open deletion request: the same anonymisation as retention.

    When the data turns out to be still needed the request is refused with
    that reason instead (and PrivacyError is not raised: that is an answer).
    Raises PrivacyError for a request out of the actor's scope or not open.
    """
    _ensure_in_scope(actor, request)
    with transaction.atomic():
        locked = _lock_open(request)
        try:
            with transaction.atomic():
                order_anonymise(order=locked.order, reason=OrderErasure.Reason.REQUEST)
        except PrivacyError as error:
            locked.status = PrivacyRequest.Status.REFUSED
            locked.refusal_reason = " ".join(error.messages)[:300]
        else:
            locked.status = PrivacyRequest.Status.DONE
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked.save(update_fields=["status", "refusal_reason", "handled_by", "handled_at"])
    return locked


def privacy_request_refuse(*, request: PrivacyRequest, actor, reason: str) -> PrivacyRequest:
    """Refuse an open deletion request with a reason the shopper will read
    (e.g. a legal duty to keep the data). Raises PrivacyError."""
    reason = (reason or "").strip()[:300]
    if not reason:
        raise PrivacyError(_("Tuliskan alasan penolakan."))
    _ensure_in_scope(actor, request)
    with transaction.atomic():
        locked = _lock_open(request)
        locked.status = PrivacyRequest.Status.REFUSED
        locked.refusal_reason = reason
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked.save(update_fields=["status", "refusal_reason", "handled_by", "handled_at"])
    return locked


# --- one-time codes (a second factor before a request) ------------------------------

OTP_SESSION_KEY = "kb_privacy_otp"
VERIFIED_SESSION_KEY = "kb_privacy_ok"
OTP_SECONDS = 10 * 60
OTP_ATTEMPTS = 5
VERIFIED_SECONDS = 30 * 60


def otp_required(order: Order) -> bool:
    """Mail is the one channel this site can send a code by; an order without
    an email relies on its code and phone alone (README "Privacy")."""
    return bool(settings.PRIVACY_OTP_BY_EMAIL and order.contact_email)


def _digest(code: str, otp: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{code}:{otp}".encode(), hashlib.sha256
    ).hexdigest()


def otp_send(*, session, order: Order) -> None:
    """Mail a 6-digit code for `order` and keep only its keyed hash in the
    session (shared by every app server, unlike a local cache)."""
    otp = f"{secrets.randbelow(10**6):06d}"
    pending = dict(session.get(OTP_SESSION_KEY, {}))
    pending[order.code] = {
        "digest": _digest(order.code, otp),
        "expires": (timezone.now() + timedelta(seconds=OTP_SECONDS)).timestamp(),
        "attempts": 0,
    }
    session[OTP_SESSION_KEY] = pending
    context = {"order": order, "otp": otp, "minutes": OTP_SECONDS // 60}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("privacy/mail/otp_subject.txt", context).strip()
        body = render_to_string("privacy/mail/otp.txt", {**context, "SITE_URL": settings.SITE_URL})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.contact_email])


def otp_check(*, session, order: Order, otp: str) -> bool:
    """True once `otp` matches the code sent for `order`; five tries per code."""
    pending = dict(session.get(OTP_SESSION_KEY, {}))
    entry = pending.get(order.code)
    if not entry or entry["expires"] < timezone.now().timestamp():
        return False
    entry["attempts"] += 1
    ok = entry["attempts"] <= OTP_ATTEMPTS and hmac.compare_digest(
        entry["digest"], _digest(order.code, (otp or "").strip())
    )
    if ok:
        pending.pop(order.code)
        verified = dict(session.get(VERIFIED_SESSION_KEY, {}))
        verified[order.code] = (timezone.now() + timedelta(seconds=VERIFIED_SECONDS)).timestamp()
        session[VERIFIED_SESSION_KEY] = verified
    session[OTP_SESSION_KEY] = pending
    return ok


def is_verified(*, session, order: Order) -> bool:
    if not otp_required(order):
        return True
    until = session.get(VERIFIED_SESSION_KEY, {}).get(order.code, 0)
    return until > timezone.now().timestamp()


# --- the staff access trail ---------------------------------------------------------


def access_record(*, actor, action: str, orders, detail: str = "") -> AccessEvent:
    """Log that `actor` saw or took shopper data of `orders` (an order, or an
    iterable of orders or of their codes): who, when, what, by code only."""
    if isinstance(orders, Order):
        orders = [orders]
    codes = [o if isinstance(o, str) else o.code for o in orders]
    return AccessEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_username=getattr(actor, "get_username", lambda: "")()[:150],
        action=action,
        order_codes=codes,
        order_count=len(codes),
        detail=detail[:120],
    )
