"""Every way a quote request and its quotes change: the buyer asks, staff
answer with a quote, the buyer accepts (one order) or asks for a change.

Each service runs in one transaction and locks the request row first, so two
answers to the same request (a double-tapped accept, staff sending a new
version while the buyer accepts the old one) queue behind each other and the
second sees what the first did. Mail goes out as tasks after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import pricing
from catalog.models import Product
from core.fields import money_problems
from core.npwp import clean_npwp
from facilities.scoping import scope_for
from orders import services as order_services
from orders.models import DeliveryMethod
from quotes.errors import QuoteError, QuoteUnfillable
from quotes.models import (
    Quote,
    QuoteLine,
    QuoteRequest,
    QuoteRequestLine,
    QuoteStatus,
    RequestStatus,
)
from quotes.stock import is_over_stock, made_here, ready_date_problem

MAX_LINES = 20


@dataclass(frozen=True)
class Buyer:
    organisation: str
    npwp: str
    contact_name: str
    contact_phone: str  # normalised to +62
    contact_email: str


@dataclass(frozen=True)
class Delivery:
    province: str
    city: str
    street: str
    needed_by: date


def _lock_request(pk: int) -> QuoteRequest:
    """The request row, locked until the transaction ends: every step on a
    request takes this first, so steps on one request run one after another."""
    return QuoteRequest.objects.select_for_update().get(pk=pk)


def _mail(kind: str, pk: int) -> None:
    from quotes import tasks

    transaction.on_commit(lambda: tasks.quote_mail.enqueue(kind, pk))


def request_submit(
    *,
    facility_id: int,
    items: list[tuple[int, int]],
    buyer: Buyer,
    delivery: Delivery,
    notes: str,
    ready_by: date | None = None,
) -> QuoteRequest:
    """Record a buyer's request for a quote: [(product_id, quantity)] of one
    facility's public products. The facility hears of it by mail (a task).

    Raises ValidationError for an invalid NPWP, no lines, a product of another
    facility or not for sale, a quantity below the minimum order, and a
    quantity over stock without a ready date (`ready_by`, quotes.stock)."""
    npwp = clean_npwp(buyer.npwp)
    if not items or len(items) > MAX_LINES:
        raise ValidationError(_("Pilih 1 sampai %(n)s produk.") % {"n": MAX_LINES})
    if len({pid for pid, _q in items}) != len(items):
        raise ValidationError(_("Setiap produk cukup dipilih sekali."))
    products = {
        p.pk: p
        for p in Product.objects.public().filter(
            pk__in=[pid for pid, _q in items], facility_id=facility_id
        )
    }
    problems = []
    for product_id, quantity in items:
        product = products.get(product_id)
        if product is None:
            problems.append(_("Ada produk yang tidak dijual oleh UPT ini."))
        elif quantity < product.min_order_quantity:
            problems.append(
                _("Minimal pembelian %(name)s adalah %(min)s %(unit)s.")
                % {
                    "name": product.name,
                    "min": product.min_order_quantity,
                    "unit": product.get_unit_display(),
                }
            )
    over = any(p in products and is_over_stock(products[p], q) for p, q in items)
    if problem := ready_date_problem(ready_by, needed=over, latest=delivery.needed_by):
        problems.append(problem)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        request = QuoteRequest.objects.create(
            facility_id=facility_id,
            buyer_organisation=buyer.organisation,
            buyer_npwp=npwp,
            contact_name=buyer.contact_name,
            contact_phone=buyer.contact_phone,
            contact_email=buyer.contact_email,
            province=delivery.province,
            city=delivery.city,
            street=delivery.street,
            needed_by=delivery.needed_by,
            ready_by=ready_by,
            notes=notes,
        )
        QuoteRequestLine.objects.bulk_create(
            QuoteRequestLine(request=request, product_id=pid, quantity=q) for pid, q in items
        )
        _mail("requested", request.pk)
    return request


def suggested_prices(request: QuoteRequest) -> dict[int, int]:
    """{request line id: unit price} from today's tiers: what staff start from."""
    lines = list(request.lines.select_related("product"))
    pricing.with_tiers([line.product for line in lines])
    return {line.pk: pricing.unit_price_for(line.product, line.quantity) for line in lines}


def may_answer(user, request: QuoteRequest) -> bool:
    """Staff of the request's facility (and head office) answer; the Kanwil watches."""
    return scope_for(user).may_act_for(request.facility_id)


def quote_terms_problems(
    *, delivery_method: str, delivery_date, valid_until, payment_terms_days: int | None
) -> dict[str, str]:
    """{field: message} for the terms of a quote that cannot stand (empty: fine).
    The admin's form shows them at their fields; quote_send refuses them."""
    today = timezone.localdate()
    problems = {}
    if delivery_method not in DeliveryMethod.values:
        problems["delivery_method"] = _("Cara pengiriman tidak dikenal.")
    if valid_until is None or valid_until < today:
        problems["valid_until"] = _("Tanggal berlaku penawaran tidak boleh sebelum hari ini.")
    if delivery_date is None or delivery_date < today:
        problems["delivery_date"] = _("Tanggal kirim tidak boleh sebelum hari ini.")
    if payment_terms_days is not None and not (
        1 <= payment_terms_days <= settings.QUOTE_MAX_TERMS_DAYS
    ):
        problems["payment_terms_days"] = _(
            "Tempo pembayaran 1 sampai %(n)s hari setelah barang diterima."
        ) % {"n": settings.QUOTE_MAX_TERMS_DAYS}
    return problems


def quote_send(
    *,
    request: QuoteRequest,
    actor,
    unit_prices: dict[int, int],
    delivery_method: str,
    delivery_fee: int,
    delivery_date: date,
    valid_until: date,
    payment_terms_days: int | None,
    note: str = "",
    ready_date: date | None = None,
) -> Quote:
    """Send the buyer a quote (a new version; the previous one is superseded).

    `unit_prices` is {request line id: unit price} for every line. The prices
    are stored on the quote's lines: a later tier change never changes it.

    `ready_date` ("siap dikirim tanggal") is required when a line is over
    stock (quotes.stock): those lines are then made for the buyer by that day.

    Raises QuoteError out of scope, when the request is accepted or declined,
    a price is missing, or the dates or terms do not hold.
    """
    problems = quote_terms_problems(
        delivery_method=delivery_method,
        delivery_date=delivery_date,
        valid_until=valid_until,
        payment_terms_days=payment_terms_days,
    )
    if problems:
        raise QuoteError(" ".join(problems.values()))
    with transaction.atomic():
        locked = _lock_request(request.pk)
        if not may_answer(actor, locked):
            raise QuoteError(_("Anda tidak berwenang menjawab permintaan ini."))
        if locked.status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED):
            raise QuoteError(_("Permintaan ini sudah selesai; penawaran baru tidak bisa dikirim."))
        lines = list(locked.lines.select_related("product"))
        if set(unit_prices) != {line.pk for line in lines} or any(
            not price or price < 1 for price in unit_prices.values()
        ):
            raise QuoteError(_("Isi harga satuan untuk setiap barang."))
        _check_amounts(lines, unit_prices, delivery_fee)
        over = any(is_over_stock(line.product, line.quantity) for line in lines)
        if problem := ready_date_problem(ready_date, needed=over, latest=delivery_date):
            raise QuoteError(problem)
        previous = locked.quotes.order_by("-version").first()
        if previous is not None and previous.status in (
            QuoteStatus.SENT,
            QuoteStatus.CHANGE_REQUESTED,
        ):
            previous.status = QuoteStatus.SUPERSEDED
            previous.save(update_fields=["status"])
        subtotal = sum(unit_prices[line.pk] * line.quantity for line in lines)
        quote = Quote.objects.create(
            request=locked,
            version=(previous.version + 1) if previous else 1,
            delivery_method=delivery_method,
            delivery_fee=delivery_fee,
            delivery_date=delivery_date,
            ready_date=ready_date,
            valid_until=valid_until,
            payment_terms_days=payment_terms_days,
            note=note,
            subtotal=subtotal,
            total=subtotal + delivery_fee,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        QuoteLine.objects.bulk_create(
            QuoteLine(
                quote=quote,
                product=line.product,
                product_name=line.product.name,
                unit=line.product.get_unit_display(),
                quantity=line.quantity,
                unit_price=unit_prices[line.pk],
                line_total=unit_prices[line.pk] * line.quantity,
            )
            for line in lines
        )
        locked.status = RequestStatus.QUOTED
        locked.save(update_fields=["status", "updated_at"])
        _mail("quoted", quote.pk)
    return quote


def _check_amounts(lines, unit_prices: dict[int, int], delivery_fee: int) -> None:
    """Raise QuoteError when a price, a line, the fee or the total passes its
    column's limit (core.money): the form refuses prices and the fee first; a
    caller without the form, or a total of allowed prices, gets the same answer
    here, never a database error."""
    line_totals = [unit_prices[line.pk] * line.quantity for line in lines]
    problems = {
        **money_problems(
            QuoteLine, unit_price=max(unit_prices.values()), line_total=max(line_totals)
        ),
        **money_problems(Quote, delivery_fee=delivery_fee, total=sum(line_totals) + delivery_fee),
    }
    if problems:
        labels = {
            "unit_price": _("Harga satuan"),
            "line_total": _("Jumlah harga satu barang"),
            "delivery_fee": _("Ongkos kirim"),
            "total": _("Total penawaran"),
        }
        raise QuoteError(" ".join(f"{labels[name]}: {text}" for name, text in problems.items()))


def request_decline(*, request: QuoteRequest, actor, note: str) -> None:
    """Staff cannot supply: the request ends. Raises QuoteError out of scope or when accepted."""
    with transaction.atomic():
        locked = _lock_request(request.pk)
        if not may_answer(actor, locked):
            raise QuoteError(_("Anda tidak berwenang menjawab permintaan ini."))
        if locked.status == RequestStatus.ACCEPTED:
            raise QuoteError(_("Penawaran sudah disetujui; buka pesanannya untuk membatalkan."))
        locked.quotes.filter(status=QuoteStatus.SENT).update(status=QuoteStatus.SUPERSEDED)
        locked.status = RequestStatus.DECLINED
        locked.notes = (locked.notes + "\n\n" + _("Ditolak UPT: ") + note).strip()
        locked.save(update_fields=["status", "notes", "updated_at"])


def _answerable(locked: QuoteRequest, quote_id: int) -> Quote:
    """The quote the buyer may answer now, or QuoteError saying why not."""
    if locked.status == RequestStatus.DECLINED:
        raise QuoteError(_("UPT tidak dapat memenuhi permintaan ini."))
    quote = locked.quotes.filter(pk=quote_id).first()
    if quote is None:
        raise QuoteError(_("Penawaran tidak ditemukan."))
    if quote.status == QuoteStatus.SUPERSEDED:
        raise QuoteError(_("Penawaran ini sudah diganti versi yang lebih baru."))
    if quote.status != QuoteStatus.SENT:
        raise QuoteError(_("Penawaran ini sudah dijawab."))
    if quote.is_expired():
        raise QuoteError(
            _("Penawaran ini sudah kedaluwarsa (berlaku sampai %(date)s). Minta penawaran baru.")
            % {"date": quote.valid_until.strftime("%d-%m-%Y")}
        )
    return quote


def quote_accept(*, request: QuoteRequest, quote_id: int):
    """The buyer accepts a quote: one order on its prices and terms.

    The request row is locked first and the order is unique per request
    (QuoteRequest.order, and the checkout key derived from the quote), so a
    double submit makes one order: the second finds the request accepted.

    Lines over stock on a quote with a ready date are ordered as made to
    order (quotes.stock.made_here). Raises QuoteError when the quote is
    superseded, answered or expired, and QuoteUnfillable (with the reasons, in
    Indonesian) when the order is refused: stock gone, a product withdrawn."""
    with transaction.atomic():
        locked = _lock_request(request.pk)
        if locked.order_id is not None:
            raise QuoteError(_("Penawaran ini sudah disetujui; pesanan sudah dibuat."))
        quote = _answerable(locked, quote_id)
        lines = list(quote.lines.all())
        made = made_here(quote)
        agreement = order_services.Agreement(
            facility_id=locked.facility_id,
            lines=[
                order_services.AgreedLine(
                    product_id=line.product_id,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    made_to_order=line.product_id in made,
                )
                for line in lines
            ],
            delivery_method=quote.delivery_method,
            shipping_fee=quote.delivery_fee,
            payment_terms_days=quote.payment_terms_days,
            payment_deadline=(
                timezone.now() + timedelta(days=settings.QUOTE_PAYMENT_DAYS)
                if quote.payment_terms_days is None
                else None
            ),
            buyer_organisation=locked.buyer_organisation,
            buyer_npwp=locked.buyer_npwp,
            note=_("Penawaran %(code)s v%(v)s") % {"code": locked.code, "v": quote.version},
        )
        try:
            order = order_services.order_place_agreed(
                idempotency_key=f"quote-{locked.pk}-{quote.pk}-accept",
                contact=order_services.Contact(
                    name=locked.contact_name,
                    phone=locked.contact_phone,
                    email=locked.contact_email,
                ),
                address=order_services.Address(
                    province=locked.province, city=locked.city, street=locked.street
                ),
                agreement=agreement,
            )
        except order_services.OrderError as error:
            raise QuoteUnfillable(error.messages) from None
        quote.status = QuoteStatus.ACCEPTED
        quote.answered_at = timezone.now()
        quote.save(update_fields=["status", "answered_at"])
        locked.status = RequestStatus.ACCEPTED
        locked.order = order
        locked.save(update_fields=["status", "order", "updated_at"])
        _mail("accepted", quote.pk)
    return order


def quote_request_change(*, request: QuoteRequest, quote_id: int, note: str) -> Quote:
    """The buyer asks for a change (with what to change); staff may send a new version.

    Raises QuoteError without a note or when the quote cannot be answered."""
    note = (note or "").strip()
    if not note:
        raise QuoteError(_("Tuliskan perubahan yang Anda minta."))
    with transaction.atomic():
        locked = _lock_request(request.pk)
        quote = _answerable(locked, quote_id)
        quote.status = QuoteStatus.CHANGE_REQUESTED
        quote.buyer_note = note[:2000]
        quote.answered_at = timezone.now()
        quote.save(update_fields=["status", "buyer_note", "answered_at"])
        locked.status = RequestStatus.CHANGE_REQUESTED
        locked.save(update_fields=["status", "updated_at"])
        _mail("change_requested", quote.pk)
    return quote
