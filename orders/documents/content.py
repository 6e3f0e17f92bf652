"""What the printed documents show: the invoice (faktur), the bill before an
invoice exists (tagihan), and the delivery note (surat jalan).

One shape (`Document`) for the three, so the shopper's copy and the staff's
copy are the same template and the same figures. An issued invoice is read
from its own snapshot (orders.documents.models), never from the facility or
the products as they are today; a bill and a delivery note read the order.
No document names or pictures anyone who made the goods: lines carry the
product name only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product
from core.npwp import format_npwp
from core.terbilang import rupiah_terbilang
from facilities.models import BankAccount
from orders.documents.invoices import local_date
from orders.documents.models import Invoice
from orders.models import DeliveryMethod, Order, OrderStatus, PaymentMethod

INVOICE = "invoice"
BILL = "bill"
DELIVERY_NOTE = "delivery_note"


@dataclass(frozen=True)
class Line:
    name: str
    unit: str
    quantity: int
    unit_price: int
    line_total: int


@dataclass(frozen=True)
class Party:
    name: str
    organisation: str = ""
    npwp: str = ""  # formatted for print
    address: str = ""
    phone: str = ""
    email: str = ""
    bank_accounts: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    kind: str
    title: str
    number: str
    dated: date
    order_code: str
    order_date: date
    seller: Party
    buyer: Party
    lines: list[Line]
    subtotal: int
    shipping_fee: int
    total: int
    delivery_method: str
    payment_method: str
    payment_terms_days: int | None
    payment_due_date: date | None
    settled: bool  # paid before the goods left: LUNAS
    cancelled: bool
    courier: str = ""
    tracking_number: str = ""

    @property
    def amount_in_words(self) -> str:
        words = rupiah_terbilang(self.total)
        return words[:1].upper() + words[1:]

    @property
    def shows_prices(self) -> bool:
        return self.kind != DELIVERY_NOTE

    @property
    def shows_bank_accounts(self) -> bool:
        """Transfer details only where there is still something to transfer."""
        return (
            self.shows_prices
            and not self.settled
            and not self.cancelled
            and self.payment_method != PaymentMethod.PAY_AT_PICKUP
            and bool(self.seller.bank_accounts)
        )

    @property
    def delivery_label(self) -> str:
        try:
            return DeliveryMethod(self.delivery_method).label
        except ValueError:
            return self.delivery_method

    @property
    def payment_label(self) -> str:
        try:
            return PaymentMethod(self.payment_method).label
        except ValueError:
            return self.payment_method


def unit_label(code: str) -> str:
    try:
        return str(Product.Unit(code).label)
    except ValueError:
        return code


def _order_date(order: Order) -> date:
    return local_date(order.facility, order.created_at)


def _cancelled(order: Order) -> bool:
    return order.status in (OrderStatus.CANCELLED, OrderStatus.EXPIRED)


def invoice_document(invoice: Invoice, order: Order) -> Document:
    """The invoice as issued; only the order's later fate (cancelled, the due
    date set on delivery) is read from the order."""
    return Document(
        kind=INVOICE,
        title=_("Faktur"),
        number=invoice.number,
        dated=invoice.issued_on,
        order_code=order.code,
        order_date=_order_date(order),
        seller=Party(
            name=invoice.seller_name,
            address=invoice.seller_address,
            phone=invoice.seller_phone,
            email=invoice.seller_email,
            bank_accounts=list(invoice.seller_bank_accounts),
        ),
        buyer=Party(
            name=invoice.buyer_name,
            organisation=invoice.buyer_organisation,
            npwp=format_npwp(invoice.buyer_npwp),
            address=invoice.buyer_address,
        ),
        lines=[
            Line(
                name=line["name"],
                unit=unit_label(line["unit"]),
                quantity=line["quantity"],
                unit_price=line["unit_price"],
                line_total=line["line_total"],
            )
            for line in invoice.lines
        ],
        subtotal=invoice.subtotal,
        shipping_fee=invoice.shipping_fee,
        total=invoice.total,
        delivery_method=invoice.delivery_method,
        payment_method=invoice.payment_method,
        payment_terms_days=invoice.payment_terms_days,
        payment_due_date=order.payment_due_date,
        settled=invoice.settled_at_issue,
        cancelled=_cancelled(order),
    )


def _live(order: Order, *, kind: str, title: str, number: str) -> Document:
    facility = order.facility
    accounts = BankAccount.objects.filter(facility=facility, is_active=True).order_by("pk")
    return Document(
        kind=kind,
        title=title,
        number=number,
        dated=local_date(facility, timezone.now()),
        order_code=order.code,
        order_date=_order_date(order),
        seller=Party(
            name=facility.name,
            address=", ".join(p for p in [facility.address, facility.city, facility.province] if p),
            phone=facility.phone or "",
            email=facility.email or "",
            bank_accounts=[
                {
                    "bank_name": a.bank_name,
                    "account_number": a.account_number,
                    "account_holder": a.account_holder,
                }
                for a in accounts
            ],
        ),
        buyer=Party(
            name=order.contact_name,
            organisation=order.buyer_organisation,
            npwp=format_npwp(order.buyer_npwp),
            address=order.address_line if order.is_delivery else "",
        ),
        lines=[
            Line(
                name=line.product_name,
                unit=unit_label(line.product.unit),
                quantity=line.quantity,
                unit_price=line.unit_price,
                line_total=line.line_total,
            )
            for line in order.lines.select_related("product").order_by("pk")
        ],
        subtotal=order.subtotal,
        shipping_fee=order.shipping_fee,
        total=order.total,
        delivery_method=order.delivery_method,
        payment_method=order.payment_method,
        payment_terms_days=order.payment_terms_days,
        payment_due_date=order.payment_due_date,
        settled=False,
        cancelled=_cancelled(order),
        courier=order.courier,
        tracking_number=order.tracking_number,
    )


def bill_document(order: Order) -> Document:
    """Before the invoice: what is owed and where to transfer it, unnumbered."""
    return _live(order, kind=BILL, title=_("Tagihan"), number="")


def delivery_note_document(order: Order) -> Document:
    """The surat jalan: numbered after the order (one per order), quantities only."""
    return _live(
        order,
        kind=DELIVERY_NOTE,
        title=_("Surat Jalan"),
        number=f"SJ/{order.facility_id}/{order.code}",
    )
