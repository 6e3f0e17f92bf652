"""The flash sale's shop and books: the products put on sale, and what the
database says afterwards (the invariants the sale must keep).

Runs inside a process where Django is set up on the sale's database (the
driver, bench/flashsale.py, or the drill's test on its test database).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class OnSale:
    product_ids: list[int]
    paths: list[str]  # each product page's path, in product-id order
    start_stock: list[int]  # each product's stock when the sale opens
    # A product of the same shop outside the sale, plenty in stock: the
    # warm-up's shoppers buy it before the sale opens (None: no warm-up buys).
    warmup_id: int | None = None
    warmup_path: str = ""

    @property
    def total_units(self) -> int:
        return sum(self.start_stock)


def seed(*, tag: str, products: int = 10, units: int = 10) -> OnSale:
    """One facility ready to sell (delivery, a courier rate to Jakarta, a bank
    account, the test regions including the shoppers' Tebet) and `products`
    public products with `units` each. `tag` keeps names and slugs apart
    between runs on the same database."""
    from tests.factories import ProductFactory, shop

    facility = shop(name=f"Lapas Kelas IIA Obral {tag}", slug=f"lapas-obral-{tag}")
    rows = [
        ProductFactory(
            for_orders=True,
            facility=facility,
            name=f"Mukena Obral {tag} {n + 1}",
            slug=f"mukena-obral-{tag}-{n + 1}",
            stock=units,
            price=150_000,
        )
        for n in range(products)
    ]
    rows.sort(key=lambda p: p.pk)
    warmup = ProductFactory(
        for_orders=True,
        facility=facility,
        name=f"Sajadah Pemanasan {tag}",
        slug=f"sajadah-pemanasan-{tag}",
        stock=10_000,
        price=90_000,
    )
    return OnSale(
        product_ids=[p.pk for p in rows],
        paths=[p.get_absolute_url() for p in rows],
        start_stock=[p.stock for p in rows],
        warmup_id=warmup.pk,
        warmup_path=warmup.get_absolute_url(),
    )


def given(product_ids: list[int]) -> OnSale:
    """Products already in the database, as they stand (public, paid online
    where their facility offers it); the sale is their current stock."""
    from catalog.models import Product

    rows = list(Product.objects.filter(pk__in=product_ids).order_by("pk"))
    if len(rows) != len(set(product_ids)):
        raise SystemExit(f"products not found: {set(product_ids) - {p.pk for p in rows}}")
    return OnSale(
        product_ids=[p.pk for p in rows],
        paths=[p.get_absolute_url() for p in rows],
        start_stock=[p.stock for p in rows],
    )


@dataclass
class Books:
    """What the database holds after the sale, and the invariants it breaks."""

    units_sold: int  # stock taken: units at the start minus stock left
    units_in_orders: int  # units on the lines of orders that stand (not cancelled)
    orders_standing: int
    orders_called_off: int
    stock_left: list[int]
    charges_at_gateway: int  # the simulator's transactions for these checkouts
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def books(sale: OnSale) -> Books:
    """Read the sale's outcome and check it:

    - no negative stock; stock taken == units on standing orders (no stock
      taken without an order, none given back twice);
    - every standing order is paid online and its checkout has exactly one
      payment intent, answered (charged_at, a QR), and exactly one charge at
      the gateway under that intent's reference (no order without its
      payment, no charge without an intent, no double charge);
    - nothing stuck: no intent pending without an answer, no standing order
      in any state but awaiting payment;
    - an order called off (the gateway surely made nothing) holds no stock.
    """
    from django.apps import apps
    from django.db.models import Sum

    from catalog.models import Product

    # The simulator's own table, read as the gateway's side of the books (the
    # bench sits beside gatewaysim in the layers and imports none of it).
    SimTransaction = apps.get_model("gatewaysim", "SimTransaction")  # noqa: N806
    from orders.models import Order, OrderLine, OrderStatus, PaymentMethod
    from orders.payments.models import GatewayPayment

    problems: list[str] = []
    stock = dict(
        Product.objects.filter(pk__in=sale.product_ids).values_list("pk", "stock").order_by("pk")
    )
    stock_left = [stock[pk] for pk in sale.product_ids]
    if any(s < 0 for s in stock_left):
        problems.append(f"negative stock: {stock_left}")
    orders = Order.objects.filter(lines__product_id__in=sale.product_ids).distinct()
    standing = orders.exclude(status=OrderStatus.CANCELLED)
    called_off = orders.filter(status=OrderStatus.CANCELLED)
    in_orders = (
        OrderLine.objects.filter(product_id__in=sale.product_ids, order__in=standing).aggregate(
            s=Sum("quantity")
        )["s"]
        or 0
    )
    units_sold = sale.total_units - sum(stock_left)
    if units_sold != in_orders:
        problems.append(f"stock taken {units_sold} != units on standing orders {in_orders}")
    wrong_state = standing.exclude(status=OrderStatus.AWAITING_PAYMENT).count()
    if wrong_state:
        problems.append(f"{wrong_state} standing orders not awaiting payment")
    not_online = standing.exclude(payment_method=PaymentMethod.GATEWAY).count()
    if not_online:
        problems.append(f"{not_online} standing orders not paid online")
    checkout_ids = set(orders.values_list("checkout_id", flat=True))
    standing_checkouts = set(standing.values_list("checkout_id", flat=True))
    payments = list(GatewayPayment.objects.filter(checkout_id__in=checkout_ids))
    per_checkout: dict[int, list[GatewayPayment]] = {}
    for payment in payments:
        per_checkout.setdefault(payment.checkout_id, []).append(payment)
    for checkout_id in standing_checkouts:
        mine = per_checkout.get(checkout_id, [])
        if len(mine) != 1:
            problems.append(f"checkout {checkout_id}: {len(mine)} payment intents")
            continue
        payment = mine[0]
        if payment.charged_at is None or not payment.qr_string:
            problems.append(f"{payment.gateway_order_id}: no answer recorded (stuck)")
        if payment.status != GatewayPayment.Status.PENDING:
            problems.append(f"{payment.gateway_order_id}: {payment.status} for a standing order")
    references = [p.gateway_order_id for p in payments]
    charges = SimTransaction.objects.filter(order_id__in=references)
    charged = list(charges.values_list("order_id", flat=True))
    if len(charged) != len(set(charged)):
        problems.append("a reference charged twice at the gateway")
    standing_refs = {p.gateway_order_id for p in payments if p.checkout_id in standing_checkouts}
    missing = standing_refs - set(charged)
    if missing:
        problems.append(f"{len(missing)} standing orders with no charge at the gateway")
    # Charges at the gateway for checkouts of these products that have no
    # intent of ours (a charge made before its intent was committed).
    stray = SimTransaction.objects.filter(order_id__startswith="KB-").exclude(
        order_id__in=GatewayPayment.objects.values("gateway_order_id")
    )
    if stray.exists():
        problems.append(f"{stray.count()} charges at the gateway with no intent of ours")
    return Books(
        units_sold=units_sold,
        units_in_orders=in_orders,
        orders_standing=standing.count(),
        orders_called_off=called_off.count(),
        stock_left=stock_left,
        charges_at_gateway=len(charged),
        problems=problems,
    )
