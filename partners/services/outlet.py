"""An outlet's desk: sales and returns it reports (through catalog's
consignment services, the one owner of the stock rules), its receipt of a
hand-over, and the money it pays the facility each month."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import services as catalog_services
from catalog.models import ConsignmentMovement, OutletProduct
from facilities.models import PartnerOutlet
from facilities.scoping import scope_for
from orders.services.common import IDEMPOTENCY_KEY_RE
from partners.models import HandoverReceipt, OutletPayment, OutletReport, PartnerAccount
from partners.services.accounts import PartnerError

# What an outlet may report from its phone; a hand-over is the facility's.
OUTLET_KINDS = (ConsignmentMovement.Kind.SOLD, ConsignmentMovement.Kind.RETURNED)


def _check_key(key: str) -> None:
    if not IDEMPOTENCY_KEY_RE.fullmatch(key or ""):
        raise PartnerError(_("Formulir kedaluwarsa. Muat ulang halaman lalu kirim lagi."))


def _refuse_other_outlet(account: PartnerAccount, outlet_id: int) -> None:
    """The one rule of an outlet login: its own outlet, while the login and
    the outlet are active."""
    if (
        not account.user.is_active
        or account.outlet_id is None
        or account.outlet_id != outlet_id
        or not account.outlet.is_active
    ):
        raise PartnerError(_("Akun ini tidak berwenang atas titipan tersebut."))


def outlet_report(
    *,
    account: PartnerAccount,
    kind: str,
    link: OutletProduct,
    quantity: int,
    key: str,
    unit_price: int | None = None,
    occurred_on: date | None = None,
) -> tuple[ConsignmentMovement, bool]:
    """The outlet reports `quantity` of `link` sold (at `unit_price` a piece)
    or returned. Returns (movement, created): the same key again returns the
    first movement and writes nothing (a double tap, a replayed POST).

    The key is claimed first (unique per account): a second request with it
    waits on the first's row and then finds it. Raises PartnerError for
    another outlet's goods, a future date or a bad key; catalog's
    ConsignmentError for more than the outlet holds (nothing is kept, the
    key stays free).
    """
    if kind not in OUTLET_KINDS:
        raise PartnerError(_("Jenis laporan tidak dikenal."))
    _check_key(key)
    _refuse_other_outlet(account, link.outlet_id)
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        raise PartnerError(_("Tanggal tidak boleh di masa depan."))
    try:
        with transaction.atomic():
            report = OutletReport.objects.create(account=account, key=key)
            movement = catalog_services.consignment_record(
                kind=kind,
                link=link,
                quantity=quantity,
                # The outlet is not facility staff: catalog's scope check is for
                # staff; the outlet's own rule was checked above. Who reported
                # it is the OutletReport's account (and the note).
                actor=None,
                unit_price=unit_price,
                occurred_on=occurred_on,
                note=_("Dilaporkan mitra (%(user)s)") % {"user": account.user.get_username()},
            )
            report.movement = movement
            report.save(update_fields=["movement"])
            return movement, True
    except IntegrityError:
        first = OutletReport.objects.select_related("movement").get(account=account, key=key)
        return first.movement, False


def handover_acknowledge(*, account: PartnerAccount, movement: ConsignmentMovement):
    """The outlet confirms a hand-over arrived as recorded. Twice is once."""
    if movement.kind != ConsignmentMovement.Kind.HANDOVER:
        raise PartnerError(_("Hanya serah terima yang dikonfirmasi."))
    _refuse_other_outlet(account, movement.link.outlet_id)
    receipt, _created = HandoverReceipt.objects.get_or_create(
        movement=movement, defaults={"account": account}
    )
    return receipt


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _payment(outlet, *, month, amount, paid_on, proof, key, note, actor, status):
    _check_key(key)
    if amount is None or amount < 1:
        raise PartnerError(_("Jumlah harus lebih dari nol."))
    if paid_on > timezone.localdate():
        raise PartnerError(_("Tanggal tidak boleh di masa depan."))
    fields = {
        "month": _first_of_month(month),
        "amount": amount,
        "paid_on": paid_on,
        "note": (note or "")[:300],
        "reported_by": actor,
        "status": status,
    }
    if status == OutletPayment.Status.CONFIRMED:
        fields |= {"decided_by": actor, "decided_at": timezone.now()}
    try:
        with transaction.atomic():
            payment = OutletPayment(outlet=outlet, key=key, **fields)
            if proof:
                payment.proof.save("proof.jpg", proof, save=False)
            payment.save()
            return payment
    except IntegrityError:
        return OutletPayment.objects.get(outlet=outlet, key=key)


def outlet_payment_report(
    *,
    account: PartnerAccount,
    month: date,
    amount: int,
    paid_on: date,
    key: str,
    proof=None,
    note: str = "",
) -> OutletPayment:
    """The outlet says it paid `amount` for `month`'s sales (with a proof):
    owed only drops when the facility confirms. The same key twice is one."""
    _refuse_other_outlet(account, account.outlet_id or 0)
    return _payment(
        account.outlet,
        month=month,
        amount=amount,
        paid_on=paid_on,
        proof=proof,
        key=key,
        note=note,
        actor=account.user,
        status=OutletPayment.Status.REPORTED,
    )


def outlet_payment_record(
    *,
    actor,
    outlet: PartnerOutlet,
    month: date,
    amount: int,
    paid_on: date,
    key: str,
    proof=None,
    note: str = "",
) -> OutletPayment:
    """The facility records money it received from `outlet`: confirmed at once."""
    if not scope_for(actor).may_act_for(outlet.facility_id):
        raise PartnerError(_("Anda tidak berwenang atas mitra ini."))
    return _payment(
        outlet,
        month=month,
        amount=amount,
        paid_on=paid_on,
        proof=proof,
        key=key,
        note=note,
        actor=actor,
        status=OutletPayment.Status.CONFIRMED,
    )


def _decide(actor, payment: OutletPayment, status: str, note: str = "") -> OutletPayment:
    with transaction.atomic():
        locked = (
            OutletPayment.objects.select_for_update().select_related("outlet").get(pk=payment.pk)
        )
        if not scope_for(actor).may_act_for(locked.outlet.facility_id):
            raise PartnerError(_("Anda tidak berwenang atas mitra ini."))
        if locked.status == status:
            return locked  # a second click: already done
        if locked.status != OutletPayment.Status.REPORTED:
            raise PartnerError(
                _("Setoran ini sudah %(status)s.") % {"status": locked.get_status_display()}
            )
        locked.status = status
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        if note:
            locked.note = note[:300]
        locked.save(update_fields=["status", "decided_by", "decided_at", "note"])
        return locked


def outlet_payment_confirm(*, actor, payment: OutletPayment) -> OutletPayment:
    """The facility saw the money arrive: the payment counts against the month."""
    return _decide(actor, payment, OutletPayment.Status.CONFIRMED)


def outlet_payment_reject(*, actor, payment: OutletPayment, note: str) -> OutletPayment:
    """The money did not arrive (or not this amount): it does not count."""
    if not (note or "").strip():
        raise PartnerError(_("Tulis alasan penolakan."))
    return _decide(actor, payment, OutletPayment.Status.REJECTED, note)
