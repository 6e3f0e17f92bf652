"""Bank-statement import: matching credit lines to orders awaiting payment, and
resolving what the matcher could not."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities.scoping import scope_for
from orders.models import Order, OrderStatus
from orders.payments.models import StatementImport, StatementLine
from orders.payments.statement_csv import READER_OUTCOMES, CreditLine, order_code_candidates
from orders.services.common import OrderError
from orders.services.steps import order_confirm_payment
from orders.states import takes_terms_payment


def statement_import(
    *, facility, actor, lines: list[CreditLine], file_name: str, layout: str
) -> StatementImport:
    """Record a bank statement's credit lines for `facility` and confirm the
    payments they prove.

    A line whose description holds exactly one code of an order of this
    facility, for exactly that order's total, confirms the payment through
    order_confirm_payment (the same service as a manual confirmation, so the
    same scope check, event and mail), unless the reader already held the
    line for a person (orders.payments.statement_csv.READER_OUTCOMES). Other lines are
    kept with their outcome for a person to decide. A line already imported
    for this facility (same hash) is skipped, so importing an export twice
    confirms nothing twice.
    Codes of other facilities' orders are never looked up.

    Raises OrderError when `actor` may not confirm payments of `facility`.
    """
    if not scope_for(actor).may_act_for(facility.pk):
        raise OrderError(_("Anda tidak berwenang mengimpor mutasi rekening UPT ini."))
    with transaction.atomic():
        statement = StatementImport.objects.create(
            facility=facility,
            uploaded_by=actor,
            file_name=file_name[:200],
            layout=layout,
            credit_lines=len(lines),
        )
        # ON CONFLICT DO NOTHING: a line imported before (or by a concurrent
        # import of the same file, which waits on the unique index) is skipped.
        StatementLine.objects.bulk_create(
            [
                StatementLine(
                    statement=statement,
                    facility=facility,
                    line_hash=line.line_hash,
                    booked_on=line.booked_on,
                    date_text=line.date_text[:40],
                    description=line.description[:500],
                    amount=line.amount,
                    outcome=line.problem or StatementLine.Outcome.NO_MATCH,
                )
                for line in lines
            ],
            ignore_conflicts=True,
        )
        new_lines = list(StatementLine.objects.filter(statement=statement).order_by("id"))
        candidates = {line.pk: order_code_candidates(line.description) for line in new_lines}
        all_codes = set().union(*candidates.values()) if candidates else set()
        orders = {
            order.code: order
            for order in Order.objects.filter(facility=facility, code__in=all_codes)
        }
        confirmed = 0
        for line in new_lines:
            matched = [orders[code] for code in candidates[line.pk] if code in orders]
            if not matched:
                continue
            if line.outcome in READER_OUTCOMES:
                # The reader's verdict stands: the line may point a person to
                # its order but never confirms it (a negative credit, a date
                # no calendar has, a transfer the bank has not booked).
                if len(matched) == 1:
                    line.order = matched[0]
            elif len(matched) > 1:
                line.outcome = StatementLine.Outcome.AMBIGUOUS
            else:
                line.order = order = matched[0]
                if line.amount <= 0:
                    # The reader holds these already; lines built by any other
                    # caller get the same answer: money out never pays.
                    line.outcome = StatementLine.Outcome.NOT_CREDIT
                elif line.amount != order.total:
                    line.outcome = StatementLine.Outcome.AMOUNT_MISMATCH
                elif not (
                    order.status == OrderStatus.AWAITING_PAYMENT
                    # A receivable: delivered on terms, not paid yet (the
                    # service below confirms it where it stands).
                    or takes_terms_payment(order.status, order.payment_terms_days, order.paid_at)
                ):
                    line.outcome = StatementLine.Outcome.NOT_AWAITING
                else:
                    try:
                        order_confirm_payment(
                            order=order,
                            actor=actor,
                            note=_("Dikonfirmasi dari mutasi rekening %(date)s: %(text)s")
                            % {"date": line.booked_on or "", "text": line.description[:120]},
                        )
                    except OrderError:
                        # Changed since it was read (e.g. expired meanwhile).
                        line.outcome = StatementLine.Outcome.NOT_AWAITING
                    else:
                        line.outcome = StatementLine.Outcome.CONFIRMED
                        confirmed += 1
            line.save(update_fields=["order", "outcome"])
        statement.new_lines = len(new_lines)
        statement.confirmed = confirmed
        statement.save(update_fields=["new_lines", "confirmed"])
    return statement


def statement_line_resolve(*, line: StatementLine, actor) -> StatementLine:
    """A person has dealt with a line the matcher could not (e.g. confirmed the
    order by hand after checking the amount): mark it handled.

    Raises OrderError when `actor` is out of the line's facility scope.
    """
    if not scope_for(actor).may_act_for(line.facility_id):
        raise OrderError(_("Anda tidak berwenang mengubah baris mutasi ini."))
    with transaction.atomic():
        StatementLine.objects.filter(pk=line.pk, resolved_at__isnull=True).update(
            resolved_by=actor, resolved_at=timezone.now()
        )
    line.refresh_from_db()
    return line
