"""Two years of order history for the scale data: checkouts, orders, lines, events.

Called by seeds.scale.generate after the products exist. Rows are drawn from
the same seeded random.Random and streamed into PostgreSQL with COPY in
batches, so a million orders need a few hundred MB at most.

The history follows orders.states: bank-transfer orders start awaiting payment,
pay-at-pickup orders start processing; old orders have reached an end
(completed, cancelled, expired), recent ones are spread over the open states.
Stock is not touched: these are past sales, and the catalog's current stock is
what the generator set.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import connection

from orders.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Checkout,
    DeliveryMethod,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
)
from orders.states import SHOPPER, STAFF, SYSTEM
from seeds import scale_words as words
from seeds.scale_bulk import HISTORY_DAYS, _Copier, _reserve_ids

S = OrderStatus
FIRST_NAMES = [
    "Siti", "Ahmad", "Dewi", "Budi", "Rina", "Agus", "Nur", "Eko", "Sri", "Andi", "Putri",
    "Rudi", "Wulan", "Hendra", "Yuni", "Fajar", "Intan", "Bayu", "Lestari", "Dian", "Made",
    "Ketut", "Wayan", "Ucok", "Maria", "Yohanes", "Fitri", "Rizky", "Ayu", "Teguh",
]  # fmt: skip
LAST_NAMES = [
    "Rahayu", "Saputra", "Wijaya", "Santoso", "Hidayat", "Kurniawan", "Lestari", "Pratama",
    "Siregar", "Nasution", "Sitompul", "Harahap", "Wibowo", "Gunawan", "Setiawan", "Purba",
    "Tanjung", "Manurung", "Simanjuntak", "Daulay", "Pohan", "Lubis", "Hasibuan", "Marpaung",
]  # fmt: skip
COURIERS = ["JNE", "J&T", "POS Indonesia", "SiCepat", "TIKI", "AnterAja"]
RECENT_DAYS = 14

CHECKOUT_COLUMNS = ["id", "idempotency_key", "code", "created_at"]
ORDER_COLUMNS = [
    "id",
    "checkout_id",
    "facility_id",
    "code",
    "status",
    "contact_name",
    "contact_phone",
    "contact_email",
    "delivery_method",
    "payment_method",
    "province",
    "city",
    "district",
    "postal_code",
    "street",
    "note",
    "subtotal",
    "shipping_fee",
    "total",
    "total_weight_grams",
    "payment_deadline",
    "courier",
    "tracking_number",
    "cancel_reason",
    "stock_released",
    "created_at",
    "updated_at",
]
LINE_COLUMNS = [
    "id",
    "order_id",
    "product_id",
    "product_name",
    "unit_price",
    "quantity",
    "line_total",
    "weight_grams",
    "made_to_order",
    "lead_time_days",
]
EVENT_COLUMNS = ["id", "order_id", "actor_label", "from_status", "to_status", "note", "created_at"]


def _code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = "".join(rng.choices(CODE_ALPHABET, k=CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def _path(rng: random.Random, payment: str, delivery: str, age_days: float) -> list[str]:
    """The statuses an order went through, first to current."""
    settled = age_days > RECENT_DAYS
    if payment == PaymentMethod.PAY_AT_PICKUP:
        full = [S.PROCESSING, S.READY_FOR_PICKUP, S.COMPLETED]
        if rng.random() < 0.06:
            return [S.PROCESSING, S.READY_FOR_PICKUP, S.CANCELLED]
    else:
        handover = S.READY_FOR_PICKUP if delivery == DeliveryMethod.PICKUP else S.SHIPPED
        full = [S.AWAITING_PAYMENT, S.PAID, S.PROCESSING, handover, S.COMPLETED]
        draw = rng.random()
        if draw < 0.10:
            return [S.AWAITING_PAYMENT, S.EXPIRED] if settled or age_days > 1 else full[:1]
        if draw < 0.16:
            return [S.AWAITING_PAYMENT, S.CANCELLED]
    if settled:
        return full
    # Recent: stopped somewhere along the way, later steps more likely with age.
    reached = min(
        len(full), 1 + int(len(full) * min(1.0, age_days / RECENT_DAYS + rng.random() / 2))
    )
    return full[:reached]


def make_orders(
    rng: random.Random,
    count: int,
    facilities: list,
    *,
    until: datetime,
    log: Callable[[str], None],
    batch: int = 50_000,
) -> dict[str, int]:
    """`count` orders over the HISTORY_DAYS before `until`; returns row counts."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, facility_id, name, price, weight_grams, made_to_order, "
            "lead_time_days, unit FROM catalog_product ORDER BY id"
        )
        products = cursor.fetchall()
    facility_by_id = {f.id: f for f in facilities}
    by_facility: dict[int, list[tuple]] = {}
    for row in products:
        by_facility.setdefault(row[1], []).append(row)
    # Popularity: a long tail, a few products sell most (Zipf-like weights).
    order_of_fame = list(range(len(products)))
    rng.shuffle(order_of_fame)
    cumulative, total = [], 0.0
    for rank, _index in enumerate(order_of_fame, start=1):
        total += 1 / rank**0.8
        cumulative.append(total)

    def popular_product() -> tuple:
        return products[order_of_fame[bisect.bisect_right(cumulative, rng.random() * total)]]

    copiers = {
        "checkouts": _Copier(Checkout, CHECKOUT_COLUMNS),
        "orders": _Copier(Order, ORDER_COLUMNS),
        "order_lines": _Copier(OrderLine, LINE_COLUMNS),
        "order_events": _Copier(OrderEvent, EVENT_COLUMNS),
    }
    counts = dict.fromkeys(copiers, 0)
    codes: set[str] = set()
    checkout_codes: set[str] = set()
    history = HISTORY_DAYS * 86400
    for start in range(0, count, batch):
        size = min(batch, count - start)
        checkouts, orders, lines, events = [], [], [], []
        order_ids = iter(_reserve_ids(Order, size))
        checkout_ids = iter(_reserve_ids(Checkout, size))
        made = 0
        while made < size:
            # Sales grow over the two years: later days are more likely.
            age_seconds = history * (1 - math.sqrt(rng.random()))
            created = until - timedelta(seconds=age_seconds)
            checkout_id = next(checkout_ids)
            checkouts.append(
                (
                    checkout_id,
                    f"{rng.getrandbits(128):032x}",
                    _code(rng, checkout_codes),
                    created,
                )
            )
            # Most checkouts buy from one facility; some from two (two orders).
            parts = 2 if rng.random() < 0.08 and size - made >= 2 else 1
            contact = (
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                f"+62812{rng.randint(10_000_000, 99_999_999)}",
                f"pembeli{rng.randint(1, 10**6)}@contoh.id" if rng.random() < 0.4 else "",
            )
            seen: set[int] = set()
            for _part in range(parts):
                first = popular_product()
                if first[1] in seen:
                    continue
                seen.add(first[1])
                order_id = next(order_ids)
                made += 1
                _one_order(
                    rng,
                    order_id,
                    checkout_id,
                    facility_by_id[first[1]],
                    first,
                    by_facility[first[1]],
                    contact,
                    created,
                    until,
                    codes,
                    orders,
                    lines,
                    events,
                )
        counts["checkouts"] += copiers["checkouts"].copy(checkouts)
        counts["orders"] += copiers["orders"].copy(orders)
        line_ids = _reserve_ids(OrderLine, len(lines))
        counts["order_lines"] += copiers["order_lines"].copy(
            (i, *row) for i, row in zip(line_ids, lines, strict=True)
        )
        event_ids = _reserve_ids(OrderEvent, len(events))
        counts["order_events"] += copiers["order_events"].copy(
            (i, *row) for i, row in zip(event_ids, events, strict=True)
        )
        log(f"{counts['orders']} orders copied")
    return counts


def _one_order(
    rng, order_id, checkout_id, facility, first, shelf, contact, created, until, codes,
    orders, lines, events,
) -> None:  # fmt: skip
    chosen = [first]
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
        other = shelf[rng.randrange(len(shelf))]
        if other not in chosen:
            chosen.append(other)
    subtotal = weight = 0
    for product_id, _fid, name, price, grams, mto, lead, unit in chosen:
        quantity = rng.choice((1, 1, 1, 2, 3)) * (10 if unit == "m2" else 1)
        subtotal += price * quantity
        weight += grams * quantity
        lines.append(
            (order_id, product_id, name, price, quantity, price * quantity, grams, mto, lead)
        )
    delivery = rng.choices(
        (DeliveryMethod.PICKUP, DeliveryMethod.LOCAL, DeliveryMethod.COURIER), (35, 15, 50)
    )[0]
    payment = (
        PaymentMethod.PAY_AT_PICKUP
        if delivery == DeliveryMethod.PICKUP and rng.random() < 0.6
        else PaymentMethod.BANK_TRANSFER
    )
    if delivery == DeliveryMethod.PICKUP:
        fee, address = 0, ("", "", "", "", "")
    else:
        fee = (
            rng.randrange(5_000, 25_001, 1_000)
            if delivery == DeliveryMethod.LOCAL
            else 18_000 + 12_000 * max(0, math.ceil(weight / 1000) - 1)
        )
        province, _tz, cities = words.PROVINCES[rng.randrange(len(words.PROVINCES))]
        if delivery == DeliveryMethod.LOCAL:
            province, cities = facility.province, [facility.city]
        address = (
            province,
            rng.choice(cities),
            f"Kecamatan {rng.choice(LAST_NAMES)}",
            f"{rng.randint(10000, 99999)}",
            f"{rng.choice(words.STREETS)} No. {rng.randint(1, 300)}, RT {rng.randint(1, 12):02d}",
        )
    age_days = (until - created).total_seconds() / 86400
    path = _path(rng, payment, delivery, age_days)
    status = path[-1]
    # Each step a few hours to a few days after the one before, never past `until`.
    moment, previous = created, ""
    for step in path:
        actor = SHOPPER if previous == "" else SYSTEM if step == S.EXPIRED else STAFF
        events.append((order_id, actor, previous, step, "", moment))
        previous = step
        moment = min(until, moment + timedelta(hours=rng.uniform(1, 60)))
    shipped = S.SHIPPED in path
    orders.append(
        (
            order_id,
            checkout_id,
            facility.id,
            _code(rng, codes),
            status,
            contact[0],
            contact[1],
            contact[2],
            delivery,
            payment,
            *address,
            "",
            subtotal,
            fee,
            subtotal + fee,
            weight,
            created + timedelta(hours=24) if payment == PaymentMethod.BANK_TRANSFER else None,
            rng.choice(COURIERS) if shipped else "",
            f"RESI{rng.randint(10**10, 10**11 - 1)}" if shipped else "",
            "Dibatalkan pembeli." if status == S.CANCELLED else "",
            status in (S.CANCELLED, S.EXPIRED),
            created,
            moment,
        )
    )
