"""Writes of the stand till: open (set stock aside), sell, sync, QRIS, close
the day, close the till (give back what is left), volunteers, receipts.

Stock moves only through catalog.stock (lock in product-id order, take, give
back); a sale locks its till row first and then the till's set-aside rows, so
two phones selling the last piece queue behind each other and one of them is
told (online) or flagged for a person (a sale made offline). Every sale
carries the phone's UUID under a unique constraint: a double tap and a sync
replayed twice are one sale. No gateway or WhatsApp call runs under a lock.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import stock
from catalog.models import Product
from core.money import format_rupiah
from core.phone import normalize_phone, whatsapp_digits
from facilities.models import Exhibition, Facility
from notifications import whatsapp
from notifications.models import OptOut
from orders.payments.midtrans import (
    FAILED_STATUSES,
    PAID_STATUSES,
    GatewayError,
    MidtransClient,
    is_configured,
    verify_notification,
)
from stand import access
from stand.models import (
    DayClose,
    PaymentKind,
    QrisCharge,
    Receipt,
    Sale,
    SaleLine,
    SetAside,
    Till,
    Volunteer,
)

log = logging.getLogger(__name__)

RECEIPT_TEMPLATE = "kb_struk_stan"  # WhatsApp Manager template (utility, id)
MAX_LINES = 50
MAX_QUANTITY = 999


class StandError(Exception):
    """A refusal the person at the till reads (Indonesian)."""


class NotAllowed(StandError):
    pass


# --- opening, stock set aside, closing ------------------------------------------


def facility_at(exhibition: Exhibition, facility_id: int) -> bool:
    return (
        exhibition.facility_id == facility_id
        or exhibition.participants.filter(pk=facility_id).exists()
    )


def till_open(
    *, exhibition: Exhibition, facility: Facility, by, quantities: dict[int, int]
) -> Till:
    """Open a facility's till at an exhibition and set stock aside for it.

    Raises NotAllowed (not this person's facility, or the facility is not at
    the event) and StandError (the event is over, or stock is short)."""
    if not access.may_open_for(by, facility.pk):
        raise NotAllowed(_("Anda tidak boleh membuka kasir untuk UPT ini."))
    if not facility_at(exhibition, facility.pk):
        raise NotAllowed(_("UPT ini tidak terdaftar di pameran ini."))
    if exhibition.ends_on < timezone.localdate():
        raise StandError(_("Pameran sudah selesai."))
    with transaction.atomic():
        till, _created = Till.objects.get_or_create(
            exhibition=exhibition, facility=facility, defaults={"opened_by": by}
        )
        if till.status == Till.Status.CLOSED:
            raise StandError(_("Kasir pameran ini sudah ditutup."))
        stock_set_aside(till=till, by=by, quantities=quantities)
    return till


def stock_set_aside(*, till: Till, by, quantities: dict[int, int]) -> dict[int, int]:
    """Take {product_id: quantity} from the web shop's ready stock into the
    till's set-aside (added to what is there). Raises StandError when a
    product is not the facility's, is made to order, or has too little stock;
    then nothing is taken."""
    wanted = {int(pk): int(q) for pk, q in quantities.items() if int(q) > 0}
    if not wanted:
        return {}
    with transaction.atomic():
        till = Till.objects.select_for_update().get(pk=till.pk)
        if till.status != Till.Status.OPEN:
            raise StandError(_("Kasir pameran ini sudah ditutup."))
        locked = stock.lock_products(wanted)
        found = {p.pk: p for p in locked}
        for pk, quantity in wanted.items():
            product = found.get(pk)
            if product is None or product.facility_id != till.facility_id:
                raise StandError(_("Produk bukan milik UPT ini."))
            if product.made_to_order:
                raise StandError(
                    _("%(name)s dibuat sesuai pesanan: tidak ada stok untuk disisihkan.")
                    % {"name": product.name}
                )
            if product.stock < quantity:
                raise StandError(
                    _("Stok %(name)s tinggal %(left)s.")
                    % {"name": product.name, "left": product.stock}
                )
        stock.take(locked, wanted)
        for pk, quantity in wanted.items():
            row, _created = SetAside.objects.get_or_create(till=till, product_id=pk)
            SetAside.objects.filter(pk=row.pk).update(set_aside=F("set_aside") + quantity)
        Till.objects.filter(pk=till.pk).update(version=F("version") + 1)
    log.info("stand till %s: set aside %s by %s", till.pk, wanted, getattr(by, "pk", None))
    return wanted


def till_close(*, till: Till, by) -> dict[int, int]:
    """Close the till (the event is over for this stand): what is left of the
    set-aside goes back to the web shop's ready stock. Later sales, also from
    a sync, are refused and kept for a person. Returns what went back.
    Raises NotAllowed."""
    if not access.may_manage(by, till):
        raise NotAllowed(_("Anda tidak boleh menutup kasir ini."))
    with transaction.atomic():
        till = Till.objects.select_for_update().get(pk=till.pk)
        if till.status == Till.Status.CLOSED:
            return {}
        rows = list(SetAside.objects.filter(till=till).select_for_update().order_by("product_id"))
        back = {row.product_id: row.left for row in rows if row.left > 0}
        for row in rows:
            if row.left > 0:
                SetAside.objects.filter(pk=row.pk).update(returned=F("returned") + row.left)
        stock.give_back(back)
        Till.objects.filter(pk=till.pk).update(
            status=Till.Status.CLOSED, closed_at=timezone.now(), version=F("version") + 1
        )
    log.info("stand till %s closed: %s back to the web shop", till.pk, back)
    return back


# --- selling ---------------------------------------------------------------------


@dataclass
class SaleInput:
    client_uuid: uuid.UUID
    lines: list[tuple[int, int]]  # (product_id, quantity)
    payment: str
    cash_given: int | None = None
    transfer_reference: str = ""
    sold_at: datetime | None = None


def parse_sale(data: dict) -> SaleInput:
    """A sale as the phone sends it (JSON). Raises StandError when malformed."""
    try:
        client_uuid = uuid.UUID(str(data["uuid"]))
        lines = [(int(line["product"]), int(line["quantity"])) for line in data["lines"]]
        payment = str(data["payment"])
        cash_given = data.get("cash_given")
        cash_given = None if cash_given in (None, "") else int(cash_given)
        sold_at = data.get("sold_at")
        sold_at = datetime.fromisoformat(str(sold_at).replace("Z", "+00:00")) if sold_at else None
    except (KeyError, TypeError, ValueError) as error:
        raise StandError(_("Data penjualan tidak lengkap.")) from error
    if payment not in PaymentKind.values:
        raise StandError(_("Cara bayar tidak dikenal."))
    if not lines or len(lines) > MAX_LINES or any(not 0 < q <= MAX_QUANTITY for _p, q in lines):
        raise StandError(_("Keranjang kosong atau jumlah tidak masuk akal."))
    if cash_given is not None and cash_given < 0:
        raise StandError(_("Uang diterima tidak boleh negatif."))
    if sold_at is not None and timezone.is_naive(sold_at):
        sold_at = timezone.make_aware(sold_at)
    return SaleInput(
        client_uuid=client_uuid,
        lines=lines,
        payment=payment,
        cash_given=cash_given,
        transfer_reference=str(data.get("transfer_reference", ""))[:80],
        sold_at=sold_at,
    )


def _merged(lines: Iterable[tuple[int, int]]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for product_id, quantity in lines:
        merged[product_id] = merged.get(product_id, 0) + quantity
    return merged


def sale_record(*, till: Till, sale: SaleInput, by, queued: bool = False) -> tuple[Sale, bool]:
    """Record a sale; returns (sale, created). The same UUID again returns the
    first sale (created False) and changes nothing.

    Online (`queued` False) a sale the set-aside does not cover, or at a
    closed till, raises StandError and records nothing: the phone says so at
    once. A queued sale (made offline, sent by sync) already happened, so it is
    always kept: at a closed till as REFUSED, beyond the set-aside as
    NEEDS_CHECK (its uncovered lines take nothing), both for a person.
    QRIS is online only: the sale waits for the gateway (AWAITING_QRIS) with
    its stock held. Raises NotAllowed when `by` may not sell at this till.
    """
    if not access.may_sell(by, till):
        raise NotAllowed(_("Anda tidak boleh berjualan di kasir ini."))
    if sale.payment == PaymentKind.QRIS and queued:
        raise StandError(_("QRIS hanya bisa saat online."))
    existing = Sale.objects.filter(client_uuid=sale.client_uuid).first()
    if existing is not None:
        return _same_till(existing, till), False
    try:
        with transaction.atomic():
            return _record(till=till, sale=sale, by=by, queued=queued), True
    except IntegrityError:
        # Another request with the same UUID committed between our check and
        # our insert (a double tap reaching two workers): that one stands.
        existing = Sale.objects.filter(client_uuid=sale.client_uuid).first()
        if existing is None:
            raise
        return _same_till(existing, till), False


def _same_till(existing: Sale, till: Till) -> Sale:
    if existing.till_id != till.pk:
        raise StandError(_("Kode penjualan ini milik kasir lain."))
    return existing


def _record(*, till: Till, sale: SaleInput, by, queued: bool) -> Sale:
    till = Till.objects.select_for_update(of=("self",)).select_related("exhibition").get(pk=till.pk)
    now = timezone.now()
    sold_at = min(sale.sold_at or now, now)
    day = timezone.localtime(sold_at).date()
    wanted = _merged(sale.lines)
    rows = {
        row.product_id: row
        for row in SetAside.objects.filter(till=till, product_id__in=wanted)
        .select_related("product")
        .select_for_update(of=("self",))
        .order_by("product_id")
    }
    closed = till.status == Till.Status.CLOSED or day > till.exhibition.ends_on
    if any(pk not in rows for pk in wanted):
        raise StandError(_("Produk tidak ada di stok stan ini."))
    covered = {pk: rows[pk].left >= quantity for pk, quantity in wanted.items()}
    if not queued:
        if closed:
            raise StandError(_("Kasir pameran ini sudah ditutup: penjualan ditolak."))
        short = [rows[pk].product.name for pk, ok in covered.items() if not ok]
        if short:
            raise StandError(_("Stok stan tidak cukup: %(names)s.") % {"names": ", ".join(short)})
    if closed:
        status = Sale.Status.REFUSED
    elif not all(covered.values()):
        status = Sale.Status.NEEDS_CHECK
    elif sale.payment == PaymentKind.QRIS:
        status = Sale.Status.AWAITING_QRIS
    else:
        status = Sale.Status.RECORDED
    total = sum(rows[pk].product.price * quantity for pk, quantity in wanted.items())
    short_cash = sale.payment == PaymentKind.CASH and (sale.cash_given or total) < total
    if short_cash and not queued:
        raise StandError(
            _("Uang diterima kurang dari total %(total)s.") % {"total": format_rupiah(total)}
        )
    note = ""
    if status == Sale.Status.REFUSED:
        note = _("Dijual setelah kasir ditutup (terkirim lewat sinkronisasi).")
    elif status == Sale.Status.NEEDS_CHECK:
        note = _("Stok stan tidak menutup: %(names)s.") % {
            "names": ", ".join(rows[pk].product.name for pk, ok in covered.items() if not ok)
        }
    record = Sale.objects.create(
        till=till,
        client_uuid=sale.client_uuid,
        status=status,
        payment=sale.payment,
        total=total,
        cash_given=sale.cash_given if sale.payment == PaymentKind.CASH else None,
        transfer_reference=sale.transfer_reference,
        sold_at=sold_at,
        day=day,
        offline=queued,
        seller=by,
        note=note,
    )
    SaleLine.objects.bulk_create(
        SaleLine(
            sale=record,
            product_id=pk,
            name=rows[pk].product.name,
            unit_price=rows[pk].product.price,
            quantity=quantity,
            covered=covered[pk] and status != Sale.Status.REFUSED,
        )
        for pk, quantity in wanted.items()
    )
    if status != Sale.Status.REFUSED:
        for pk, quantity in wanted.items():
            if covered[pk]:
                SetAside.objects.filter(pk=rows[pk].pk).update(sold=F("sold") + quantity)
    Till.objects.filter(pk=till.pk).update(version=F("version") + 1)
    return record


@dataclass
class SyncResult:
    uuid: str
    status: str
    label: str
    applied: bool
    error: str = ""


def sales_sync(*, till: Till, sales: list[dict], by) -> list[SyncResult]:
    """Apply a phone's queue of offline sales, each once (by its UUID), in the
    order sent. A malformed entry is answered with an error and skipped; the
    phone keeps it for a person. Raises NotAllowed."""
    if not access.may_sell(by, till):
        raise NotAllowed(_("Anda tidak boleh berjualan di kasir ini."))
    results = []
    for data in sales:
        try:
            parsed = parse_sale(data)
            record, created = sale_record(till=till, sale=parsed, by=by, queued=True)
        except NotAllowed:
            raise
        except StandError as error:
            results.append(SyncResult(str(data.get("uuid", "")), "error", "", False, str(error)))
            continue
        results.append(
            SyncResult(
                str(record.client_uuid), record.status, str(record.get_status_display()), created
            )
        )
    return results


def _release(sale: Sale) -> None:
    """Put a sale's covered pieces back into the till's set-aside (locked)."""
    lines = list(sale.lines.filter(covered=True))
    rows = {
        row.product_id: row
        for row in SetAside.objects.filter(
            till_id=sale.till_id, product_id__in=[line.product_id for line in lines]
        )
        .select_for_update()
        .order_by("product_id")
    }
    for line in lines:
        SetAside.objects.filter(pk=rows[line.product_id].pk).update(sold=F("sold") - line.quantity)


def sale_void(*, sale: Sale, by, reason: str) -> Sale:
    """Call off a sale whose QRIS was not paid (the buyer walked away): its
    pieces go back to the stand's stock. Raises StandError for a sale that is
    not waiting for QRIS."""
    if not access.may_sell(by, sale.till):
        raise NotAllowed(_("Anda tidak boleh berjualan di kasir ini."))
    with transaction.atomic():
        Till.objects.select_for_update().get(pk=sale.till_id)
        sale = Sale.objects.select_for_update().get(pk=sale.pk)
        if sale.status != Sale.Status.AWAITING_QRIS:
            raise StandError(_("Hanya penjualan yang menunggu QRIS yang bisa dibatalkan."))
        _release(sale)
        sale.status = Sale.Status.VOID
        sale.note = reason[:300]
        sale.save(update_fields=["status", "note"])
        Till.objects.filter(pk=sale.till_id).update(version=F("version") + 1)
    return sale


def sale_resolve(*, sale: Sale, by, accept: bool, note: str) -> Sale:
    """A person settles a flagged sale (perlu dicek / ditolak). Accept: the
    piece was really there and sold; what the set-aside did not cover is taken
    from the web shop's ready stock as far as it has it (the count was off),
    and the sale counts. Reject: it stays out of the reports (VOID).
    Raises NotAllowed (not staff of the facility) and StandError."""
    if not access.may_manage(by, sale.till):
        raise NotAllowed(_("Hanya petugas UPT yang boleh memeriksa penjualan."))
    if not note.strip():
        raise StandError(_("Tulis alasan pemeriksaan."))
    with transaction.atomic():
        Till.objects.select_for_update().get(pk=sale.till_id)
        sale = Sale.objects.select_for_update().get(pk=sale.pk)
        if sale.status not in (Sale.Status.NEEDS_CHECK, Sale.Status.REFUSED):
            raise StandError(_("Penjualan ini tidak perlu dicek."))
        if accept:
            uncovered = {
                line.product_id: line.quantity for line in sale.lines.filter(covered=False)
            }
            locked = stock.lock_products(uncovered)
            stock.take(locked, {p.pk: min(p.stock, uncovered[p.pk]) for p in locked})
            sale.status = Sale.Status.RECORDED
        else:
            _release(sale)
            sale.status = Sale.Status.VOID
        sale.note = f"{sale.note} · {note.strip()}"[:300]
        sale.resolved_by = by
        sale.save(update_fields=["status", "note", "resolved_by"])
        Till.objects.filter(pk=sale.till_id).update(version=F("version") + 1)
    return sale


# --- QRIS through the web shop's gateway client --------------------------------


def qris_offered() -> bool:
    """QRIS is offered only with a gateway key (or the simulator under DEBUG)."""
    return is_configured()


def qris_charge(*, sale: Sale) -> QrisCharge:
    """Charge a sale by QRIS: the intent (its own reference) is committed
    first, then the gateway is asked, then its answer stored. A retry of a
    charge that got its answer returns it. Raises StandError when the
    gateway is not offered or did not answer (the sale keeps waiting)."""
    if not qris_offered():
        raise StandError(_("QRIS tidak tersedia."))
    if sale.status != Sale.Status.AWAITING_QRIS:
        raise StandError(_("Penjualan ini tidak menunggu QRIS."))
    charge = sale.qris_charges.filter(status=QrisCharge.Status.PENDING).order_by("-pk").first()
    if charge is not None and charge.charged_at:
        return charge
    if charge is None:
        attempt = sale.qris_charges.count() + 1
        charge = QrisCharge.objects.create(
            sale=sale,
            gateway_order_id=f"STAN-{sale.client_uuid.hex[:20]}-{attempt}",
            amount=sale.total,
        )
    lines = list(sale.lines.all())
    try:
        answer = MidtransClient().charge(
            order_id=charge.gateway_order_id,
            gross_amount=charge.amount,
            channel="qris",
            expiry_minutes=15,
            customer={"first_name": _("Pembeli stan")},
            items=[
                {
                    "id": str(line.product_id),
                    "price": line.unit_price,
                    "quantity": line.quantity,
                    "name": line.name[:50],
                }
                for line in lines
            ],
            notification_url=settings.SITE_URL + reverse("stand:gateway_notification"),
        )
    except GatewayError as error:
        log.warning("stand QRIS charge %s failed: %s", charge.gateway_order_id, error)
        raise StandError(_("Gateway pembayaran tidak menjawab. Coba lagi.")) from error
    QrisCharge.objects.filter(pk=charge.pk).update(
        qr_string=answer.qr_string, transaction_id=answer.transaction_id, charged_at=timezone.now()
    )
    charge.refresh_from_db()
    return charge


def qris_status_apply(*, gateway_order_id: str, transaction_status: str) -> QrisCharge | None:
    """Apply the gateway's word on a charge (from its notification or a status
    call), once: paid -> the sale counts; expired/failed -> the sale is void
    and its pieces go back to the stand. Later words change nothing."""
    with transaction.atomic():
        charge = QrisCharge.objects.filter(gateway_order_id=gateway_order_id).first()
        if charge is None:
            return None
        Till.objects.select_for_update().get(pk=charge.sale.till_id)
        charge = QrisCharge.objects.select_for_update().select_related("sale").get(pk=charge.pk)
        if charge.status != QrisCharge.Status.PENDING:
            return charge
        sale = charge.sale
        if transaction_status in PAID_STATUSES:
            charge.status = QrisCharge.Status.PAID
            charge.paid_at = timezone.now()
            if sale.status == Sale.Status.AWAITING_QRIS:
                sale.status = Sale.Status.RECORDED
                sale.save(update_fields=["status"])
            elif sale.status == Sale.Status.VOID:
                # Paid after the person called it off: money arrived, a person checks.
                sale.status = Sale.Status.NEEDS_CHECK
                sale.note = _("QRIS dibayar setelah penjualan dibatalkan.")
                sale.save(update_fields=["status", "note"])
        elif transaction_status in FAILED_STATUSES:
            charge.status = QrisCharge.Status.FAILED
            if sale.status == Sale.Status.AWAITING_QRIS:
                _release(sale)
                sale.status = Sale.Status.VOID
                sale.note = _("QRIS tidak dibayar (%(status)s).") % {"status": transaction_status}
                sale.save(update_fields=["status", "note"])
        else:
            return charge
        charge.save(update_fields=["status", "paid_at"])
        Till.objects.filter(pk=sale.till_id).update(version=F("version") + 1)
    return charge


def qris_notification_receive(*, payload: dict) -> QrisCharge | None:
    """The gateway's signed notification for a stand charge. Raises
    NotAllowed for a forged one."""
    if not isinstance(payload, dict) or not verify_notification(payload):
        raise NotAllowed("bad signature")
    return qris_status_apply(
        gateway_order_id=str(payload.get("order_id", "")),
        transaction_status=str(payload.get("transaction_status", "")),
    )


def qris_refresh(*, charge: QrisCharge) -> QrisCharge:
    """Ask the gateway about a pending charge (the phone's poller, in case the
    notification is late or lost) and apply the answer."""
    if charge.status != QrisCharge.Status.PENDING or not charge.charged_at:
        return charge
    try:
        answer = MidtransClient().status(charge.gateway_order_id)
    except GatewayError as error:
        log.info("stand QRIS status %s: %s", charge.gateway_order_id, error)
        return charge
    return (
        qris_status_apply(
            gateway_order_id=charge.gateway_order_id,
            transaction_status=str(answer.get("transaction_status", "")),
        )
        or charge
    )


# --- closing the day ---------------------------------------------------------------

MONEY_IN = (Sale.Status.RECORDED, Sale.Status.NEEDS_CHECK)


def day_expected(till: Till, day) -> dict[str, int]:
    """What the records say came in that day, per payment kind. Cash counts
    flagged sales too: their money is in the box even while a person checks."""
    sums = {}
    for kind in PaymentKind.values:
        statuses = MONEY_IN if kind != PaymentKind.QRIS else (Sale.Status.RECORDED,)
        sums[kind] = (
            Sale.objects.filter(till=till, day=day, payment=kind, status__in=statuses).aggregate(
                total=Sum("total")
            )["total"]
            or 0
        )
    return sums


def qris_at_gateway(till: Till, day) -> int:
    """What the gateway says was paid for the day's QRIS charges: each asked
    (outside any lock), and a late payment applied on the way."""
    paid = 0
    charges = QrisCharge.objects.filter(sale__till=till, sale__day=day).exclude(charged_at=None)
    for charge in charges:
        try:
            answer = MidtransClient().status(charge.gateway_order_id)
        except GatewayError as error:
            log.warning("stand day close: status of %s unknown: %s", charge.gateway_order_id, error)
            continue
        status = str(answer.get("transaction_status", ""))
        qris_status_apply(gateway_order_id=charge.gateway_order_id, transaction_status=status)
        if status in PAID_STATUSES:
            paid += charge.amount
    return paid


def day_close(*, till: Till, day, cash_counted: int, reason: str, by) -> DayClose:
    """Close one day: cash counted against cash sales, QRIS at the gateway
    against QRIS sales, transfers listed. A difference needs a reason.
    Raises NotAllowed, and StandError (a difference without a reason, the
    day already closed, a negative count)."""
    if not access.may_sell(by, till):
        raise NotAllowed(_("Anda tidak boleh menutup hari kasir ini."))
    if cash_counted < 0:
        raise StandError(_("Uang tunai dihitung tidak boleh negatif."))
    if DayClose.objects.filter(till=till, day=day).exists():
        raise StandError(_("Hari ini sudah ditutup."))
    gateway = qris_at_gateway(till, day) if qris_offered() else 0
    expected = day_expected(till, day)
    differs = cash_counted != expected[PaymentKind.CASH] or gateway != expected[PaymentKind.QRIS]
    if differs and not reason.strip():
        raise StandError(_("Ada selisih: tulis alasannya."))
    try:
        with transaction.atomic():
            return DayClose.objects.create(
                till=till,
                day=day,
                cash_expected=expected[PaymentKind.CASH],
                cash_counted=cash_counted,
                qris_expected=expected[PaymentKind.QRIS],
                qris_at_gateway=gateway,
                transfer_expected=expected[PaymentKind.TRANSFER],
                reason=reason.strip(),
                closed_by=by,
            )
    except IntegrityError as error:
        raise StandError(_("Hari ini sudah ditutup.")) from error


# --- volunteers and receipts -----------------------------------------------------


def event_end(exhibition: Exhibition) -> datetime:
    """The last moment of the event's last day, in the site's time (WIB)."""
    return timezone.make_aware(datetime.combine(exhibition.ends_on, time.max))


def volunteer_create(*, till: Till, name: str, by) -> tuple[Volunteer, str, str]:
    """A login for one event's till, expiring when the event ends. Returns
    (volunteer, username, password); the password is shown once.
    Raises NotAllowed (only the facility's staff) and StandError."""
    if not access.may_manage(by, till):
        raise NotAllowed(_("Hanya petugas UPT yang boleh membuat akun relawan."))
    if till.status != Till.Status.OPEN:
        raise StandError(_("Kasir pameran ini sudah ditutup."))
    name = name.strip()[:80]
    if not name:
        raise StandError(_("Tulis nama relawan."))
    password = secrets.token_urlsafe(9)
    with transaction.atomic():
        username = f"stan{till.pk}-{secrets.token_hex(3)}"
        user = get_user_model().objects.create_user(
            username=username, password=password, first_name=name, is_staff=False
        )
        volunteer = Volunteer.objects.create(
            user=user, till=till, name=name, expires_at=event_end(till.exhibition), created_by=by
        )
    return volunteer, username, password


def volunteers_expire() -> int:
    """Switch off volunteer logins whose event is over (also refused on their
    own by access.volunteer_of; this keeps the accounts list honest)."""
    users = get_user_model().objects.filter(
        stand_volunteer__expires_at__lte=timezone.now(), is_active=True
    )
    return users.update(is_active=False)


def receipt_whatsapp(*, sale: Sale, phone: str, by) -> Receipt:
    """Send the buyer a receipt by WhatsApp (the notifications app's client,
    the same opt-outs), once per sale and number. Raises StandError when
    WhatsApp is not configured or the number is not a phone number."""
    if not access.may_sell(by, sale.till):
        raise NotAllowed(_("Anda tidak boleh berjualan di kasir ini."))
    if not whatsapp.enabled():
        raise StandError(_("WhatsApp belum aktif: cetak struk."))
    try:
        digits = whatsapp_digits(normalize_phone(phone))
    except ValidationError as error:
        raise StandError(_("Nomor WhatsApp tidak valid.")) from error
    if OptOut.objects.filter(phone=digits, order__isnull=True).exists():
        raise StandError(_("Nomor ini menolak pesan WhatsApp."))
    try:
        with transaction.atomic():
            receipt = Receipt.objects.create(sale=sale, recipient=digits)
    except IntegrityError:
        return Receipt.objects.get(sale=sale, recipient=digits)
    params = [
        sale.till.exhibition.title,
        ", ".join(f"{line.quantity}× {line.name}" for line in sale.lines.all())[:900],
        format_rupiah(sale.total),
        str(sale.get_payment_display()),
    ]
    try:
        whatsapp.send_template(to=digits, template=RECEIPT_TEMPLATE, params=params)
    except whatsapp.SendError as error:
        Receipt.objects.filter(pk=receipt.pk).update(status="failed", error=str(error)[:300])
        raise StandError(_("Struk WhatsApp gagal terkirim: cetak struk.")) from error
    Receipt.objects.filter(pk=receipt.pk).update(status="sent")
    receipt.status = "sent"
    return receipt


def product_ids_on_show(exhibition: Exhibition, facility_id: int) -> list[int]:
    return list(
        Product.objects.filter(
            exhibition_links__exhibition=exhibition, facility_id=facility_id
        ).values_list("pk", flat=True)
    )
