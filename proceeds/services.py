"""Writes of the proceeds ledger, each in its own transaction.

Who may write: a facility's own staff and head office (Scope.may_act_for);
a Kanwil reviewer reads its region's ledgers and writes none. A closed month
is final: nothing is added to it, nor to its programmes' headcounts.
Nobody closes a month whose payments they alone entered (four eyes): another
officer of the facility, or head office, closes it. `actor` None is the
system (the demo seeds): recorded as nobody's name.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities.models import Facility
from facilities.scoping import Scope
from proceeds import rules
from proceeds.models import LedgerEntry, LedgerMonth, ProgrammeMonth, WorkProgramme
from proceeds.months import this_month
from proceeds.selectors import entry_conflicts, ledger_rows, snapshot


class ProceedsError(Exception):
    """A refused write, with a message for the person and the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _facility_for_writing(scope: Scope, facility_id: int) -> Facility:
    if not scope.may_act_for(facility_id):
        raise ProceedsError(_("Anda tidak berwenang mencatat untuk UPT ini."), "facility")
    facility = Facility.objects.get(pk=facility_id)
    if facility.is_enterprise:
        raise ProceedsError(
            _("Usaha binaan Bapas tidak masuk buku hasil: uangnya milik klien."), "facility"
        )
    return facility


def _open_month_locked(facility: Facility, month: date) -> LedgerMonth:
    """The facility's month, created if new, locked for this transaction."""
    if month > this_month():
        raise ProceedsError(_("Bulan ini belum tiba."), "month")
    LedgerMonth.objects.get_or_create(facility=facility, month=month.replace(day=1))
    ledger = LedgerMonth.objects.select_for_update().get(facility=facility, month=month)
    if ledger.is_closed:
        raise ProceedsError(
            _("Bulan %(month)s sudah ditutup; tidak dapat diubah.") % {"month": f"{month:%m/%Y}"},
            "month",
        )
    return ledger


def _proof_problem(proof) -> str:
    if proof is None:
        return _("Unggah bukti pembayaran (PDF, JPG atau PNG).")
    if proof.size > rules.PROOF_MAX_BYTES:
        return _("Bukti paling besar 5 MB.")
    head = proof.read(16)
    proof.seek(0)
    extension = rules.proof_extension(head)
    if not extension:
        return _("Bukti harus berkas PDF, JPG atau PNG.")
    # Stored under the server's name with the extension its bytes prove, so
    # the proof view serves it with the right type whatever it was called.
    proof.name = f"bukti.{extension}"
    return ""


def ledger_entry_record(
    *,
    actor,
    scope: Scope,
    facility_id: int,
    month: date,
    kind: str,
    amount: int,
    paid_on: date,
    reference: str,
    proof,
    programme_id: int | None = None,
    billing_code: str = "",
    ntpn: str = "",
    note: str = "",
) -> LedgerEntry:
    """Record money paid out of a month's proceeds, with its proof.

    :raises ProceedsError: out of scope, an enterprise, a closed or future
        month, a premi without its facility's programme, a PNBP deposit whose
        billing code or NTPN is malformed, a bad proof, or a receipt, billing
        code or NTPN already recorded (a double submit makes one entry).
    """
    if kind not in rules.KINDS:
        raise ProceedsError(_("Jenis pembayaran tidak dikenal."), "kind")
    if amount <= 0:
        raise ProceedsError(_("Jumlah harus lebih dari nol."), "amount")
    if not reference.strip():
        raise ProceedsError(_("Isi nomor bukti."), "reference")
    if kind == rules.PREMI:
        if programme_id is None:
            raise ProceedsError(
                _("Premi dicatat per program kerja: pilih programnya."), "programme"
            )
    else:
        programme_id = None
    if kind == rules.PNBP:
        for field, problem in (
            ("billing_code", rules.billing_code_problem(billing_code)),
            ("ntpn", rules.ntpn_problem(ntpn)),
        ):
            if problem:
                raise ProceedsError(problem, field)
        billing_code, ntpn = rules.clean_billing_code(billing_code), rules.clean_ntpn(ntpn)
    else:
        billing_code = ntpn = ""
    if problem := _proof_problem(proof):
        raise ProceedsError(problem, "proof")
    facility = _facility_for_writing(scope, facility_id)
    if (
        programme_id is not None
        and not WorkProgramme.objects.filter(pk=programme_id, facility=facility).exists()
    ):
        raise ProceedsError(_("Program kerja ini bukan milik UPT tersebut."), "programme")
    try:
        with transaction.atomic():
            ledger = _open_month_locked(facility, month)
            for field, message in entry_conflicts(
                facility_id=facility.pk,
                month=month,
                kind=kind,
                reference=reference,
                billing_code=billing_code,
                ntpn=ntpn,
            ):
                raise ProceedsError(message, field)
            return LedgerEntry.objects.create(
                ledger=ledger,
                facility=facility,
                kind=kind,
                programme_id=programme_id,
                amount=amount,
                paid_on=paid_on,
                reference=reference.strip(),
                billing_code=billing_code,
                ntpn=ntpn,
                proof=proof,
                note=note.strip(),
                entered_by=actor,
            )
    except IntegrityError as error:
        raise ProceedsError(
            _("Bukti ini (nomor bukti, kode billing atau NTPN) sudah pernah dicatat."),
            "reference",
        ) from error


def programme_save(
    *,
    actor,
    scope: Scope,
    facility_id: int,
    name: str,
    is_active: bool = True,
    pk: int | None = None,
) -> WorkProgramme:
    """Add or rename a facility's work programme.

    :raises ProceedsError: out of scope, an enterprise, or a name the facility already uses.
    """
    facility = _facility_for_writing(scope, facility_id)
    if not name.strip():
        raise ProceedsError(_("Isi nama program kerja."), "name")
    try:
        with transaction.atomic():
            if pk is None:
                return WorkProgramme.objects.create(
                    facility=facility, name=name.strip(), is_active=is_active
                )
            programme = WorkProgramme.objects.select_for_update().get(pk=pk, facility=facility)
            programme.name, programme.is_active = name.strip(), is_active
            programme.save(update_fields=["name", "is_active"])
            return programme
    except IntegrityError as error:
        raise ProceedsError(_("UPT ini sudah punya program dengan nama itu."), "name") from error


def programme_month_record(
    *, actor, scope: Scope, programme_id: int, month: date, participants: int
) -> ProgrammeMonth:
    """Set how many people took part in a programme in a month (a count only).

    :raises ProceedsError: out of scope, or the facility's month is closed.
    """
    programme = WorkProgramme.objects.get(pk=programme_id)
    facility = _facility_for_writing(scope, programme.facility_id)
    with transaction.atomic():
        _open_month_locked(facility, month)
        row, _created = ProgrammeMonth.objects.update_or_create(
            programme=programme,
            month=month.replace(day=1),
            defaults={"participants": participants, "entered_by": actor},
        )
        return row


def ledger_close(
    *, actor, scope: Scope, facility_id: int, month: date, explanation: str = ""
) -> LedgerMonth:
    """Close a facility's month: balanced, or with its difference explained.

    Keeps the figures it closed on; the month is read-only afterwards.

    :raises ProceedsError: out of scope, the month not over yet, already
        closed, a difference without a reason, or the closer entered every
        payment of the month alone.
    """
    facility = _facility_for_writing(scope, facility_id)
    month = month.replace(day=1)
    if month >= this_month():
        raise ProceedsError(_("Bulan berjalan belum dapat ditutup."), "month")
    with transaction.atomic():
        ledger = _open_month_locked(facility, month)
        enterers = set(ledger.entries.values_list("entered_by_id", flat=True))
        # actor None is the system (the demo seeds), which is nobody's pair of eyes.
        if actor is not None and enterers == {actor.pk}:
            raise ProceedsError(
                _(
                    "Semua pembayaran bulan ini Anda catat sendiri; bulan ditutup oleh "
                    "petugas lain atau Kantor Pusat (empat mata)."
                )
            )
        # Read under the month's lock: no entry can be added meanwhile.
        row = ledger_rows(scope, first=month, last=month, facility_id=facility.pk)
        row = next(r for r in row if r.month == month)
        explanation = explanation.strip()
        if not row.balanced and not explanation:
            raise ProceedsError(
                _("Terutang dan dibayar belum sama: jelaskan selisihnya untuk menutup bulan."),
                "explanation",
            )
        ledger.status = LedgerMonth.Status.CLOSED
        ledger.closed_figures = snapshot(row)
        ledger.due_total, ledger.paid_total = row.due_total, row.paid_total
        ledger.explanation = explanation if not row.balanced else ""
        ledger.closed_by = actor
        ledger.closed_at = timezone.now()
        ledger.save()
        return ledger
