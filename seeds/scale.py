"""National-scale data for the benchmark: regions, facilities, products, photos, orders.

Deterministic from a seed (every value comes from one random.Random), so two
runs with the same seed and sizes make the same rows; the only things that
differ are database ids and the sequence positions they come from.

Speed: rows go in with PostgreSQL COPY (psycopg 3 `cursor.copy`), in streamed
batches so memory stays flat at any size; search vectors are filled by one
set-based refresh_search_vectors() call; tables are ANALYZEd at the end.

Photos: a small shared set of images is drawn once with Pillow, encoded the way
core.images encodes uploads (WebP q80 + JPEG q85 renditions at 320/640/1280
px), and every ProductImage row points at one of them.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.db import DatabaseError, connection, models
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFilter

from catalog.models import Category, ListingReview, ListingStatus, Product, ProductImage
from catalog.search import refresh_search_vectors
from core.images import RENDITION_WIDTHS
from facilities.models import BankAccount, Facility, Region
from seeds import scale_words as words

# The end of the generated history; fixed so the data does not depend on the
# day the command runs.
DEFAULT_UNTIL = datetime(2026, 11, 1, tzinfo=UTC)
HISTORY_DAYS = 730
IMAGE_SET_SIZE = 24
IMAGE_DIR = "products/scale"
ORIGINAL_EDGE = 1600
# Marks generated rows so a wipe or a second run can tell them apart.
SLUG_PREFIX = "skala"


class ScaleDataError(Exception):
    """The database is not in a state the generator can work on."""


@dataclass
class ScaleSummary:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, label: str, started: float) -> None:
        self.seconds[label] = round(time.perf_counter() - started, 2)


def _reserve_ids(model: type[models.Model], count: int) -> range:
    """Take `count` consecutive ids from the model's sequence in one statement.

    The scale database has no concurrent writers while this runs; a real app
    would use nextval per row.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


class _Copier:
    """COPY rows of one model, filling every column the caller leaves out with
    the field's default, so fields added to a model later do not break the bench."""

    def __init__(self, model: type[models.Model], given: list[str]):
        self.model = model
        fields = [f for f in model._meta.concrete_fields]
        by_attname = {f.attname: f for f in fields}
        unknown = set(given) - set(by_attname)
        if unknown:
            raise ScaleDataError(f"{model.__name__} has no columns {sorted(unknown)}")
        self.given = given
        self.defaults: list[tuple[str, object]] = []
        for f in fields:
            if f.attname in given or f.attname == "search_vector":
                continue
            if f.primary_key:
                raise ScaleDataError(f"{model.__name__}: the id must be given")
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                raise ScaleDataError(f"{model.__name__}.{f.attname}: timestamps must be given")
            value = f.get_default()
            if value is None and not f.null:
                raise ScaleDataError(f"{model.__name__}.{f.attname} needs a value")
            self.defaults.append((f.column, _copy_value(f.get_db_prep_save(value, connection))))
        columns = [by_attname[a].column for a in given] + [c for c, _ in self.defaults]
        quoted = ", ".join(f'"{c}"' for c in columns)
        self.sql = f'COPY "{model._meta.db_table}" ({quoted}) FROM STDIN'
        self.tail = tuple(v for _, v in self.defaults)

    def copy(self, rows: Iterable[tuple]) -> int:
        count = 0
        with connection.cursor() as cursor:
            fast = _skip_fk_triggers(cursor, True)
            try:
                with cursor.cursor.copy(self.sql) as copy:
                    for row in rows:
                        copy.write_row(row + self.tail)
                        count += 1
            finally:
                if fast:
                    _skip_fk_triggers(cursor, False)
        return count


def _skip_fk_triggers(cursor, skip: bool) -> bool:
    """Skip the per-row foreign-key triggers during a bulk COPY (the generator
    makes every reference itself, from ids it just read or reserved).

    `session_replication_role` needs a superuser, as the bench database's owner
    usually is; otherwise the checks simply run, slower. Inside a transaction
    (the tests) they always run, so the tests check every reference.
    """
    if connection.in_atomic_block:
        return False
    try:
        cursor.execute("SET session_replication_role = %s", ["replica" if skip else "origin"])
    except DatabaseError:
        return False
    return True


def _copy_value(value):
    if isinstance(value, dict | list):
        return json.dumps(value)
    if hasattr(value, "adapted"):  # psycopg Jsonb wrapper from JSONField
        return json.dumps(value.obj)
    return value


# --- regions, facilities, categories -------------------------------------------------


def _make_regions() -> list[Region]:
    regions = [
        Region(name=f"Kanwil {province}", province=province, slug=slugify(province))
        for province, _tz, _cities in words.PROVINCES
    ]
    return Region.objects.bulk_create(regions)


def _make_facilities(rng: random.Random, regions: list[Region], count: int) -> list[Facility]:
    """`count` facilities spread over the regions in proportion to their cities,
    every region getting at least one."""
    by_province = {r.province: r for r in regions}
    places = [
        (by_province[province], tz, city)
        for province, tz, cities in words.PROVINCES
        for city in cities
    ]
    kinds = words.FACILITY_KINDS
    kind_weights = [k[4] for k in kinds]
    names: set[str] = set()
    facilities = []
    # One facility per region first, so every Kanwil has a storefront to show.
    order = [rng.choice([p for p in places if p[0] is r]) for r in regions]
    while len(order) < count:
        order.append(rng.choice(places))
    for i, (region, tz, city) in enumerate(order[:count]):
        for attempt in range(20):
            kind, klass, prefix, womens, _w = rng.choices(kinds, kind_weights)[0]
            name = f"{prefix} {city}"
            if attempt >= 10:
                name = f"{name} {attempt - 8}"
            if name not in names:
                break
        names.add(name)
        number = 100 + i
        facilities.append(
            Facility(
                region=region,
                kind=kind,
                facility_class=klass,
                is_womens=womens,
                name=name,
                slug=slugify(name),
                address=f"{rng.choice(words.STREETS)} No. {rng.randint(1, 250)}, {city}",
                city=city,
                province=region.province,
                timezone=tz,
                phone=f"021 {5000000 + number:07d}",
                whatsapp=f"0812 {30000000 + number:08d}",
                email=f"upt{number}@contoh.karyabinaan.id",
                showroom_hours=rng.choice(
                    [
                        "Senin–Jumat 08.00–15.00",
                        "Senin–Sabtu 08.00–14.00",
                        "Setiap hari 09.00–16.00",
                    ]
                ),
                about=(
                    f"Program kemandirian {name}: {rng.choice(words.PROGRAMMES)} dan "
                    f"{rng.choice(words.PROGRAMMES)}. Data uji skala, bukan UPT sungguhan."
                ),
            )
        )
    created = Facility.objects.bulk_create(facilities)
    BankAccount.objects.bulk_create(
        BankAccount(
            facility=f,
            bank_name=rng.choice(words.BANKS),
            account_number=f"{rng.randint(10**9, 10**10 - 1)}",
            account_holder=f"BPG {f.name}"[:120],
        )
        for f in created
    )
    return created


def _make_categories() -> dict[str, Category]:
    by_slug = {c.slug: c for c in Category.objects.all()}
    for position, (parent, slug, name_id, name_en) in enumerate(words.CATEGORIES):
        if slug not in by_slug:
            by_slug[slug] = Category.objects.create(
                parent=by_slug[parent] if parent else None,
                name_id=name_id,
                name_en=name_en,
                slug=slug,
                position=position,
            )
    return by_slug


# --- photos --------------------------------------------------------------------------


def _draw_image(rng: random.Random, index: int) -> Image.Image:
    """A product-photo stand-in: a lit backdrop, an object, and sensor-like grain,
    so it compresses about as well as a real photo (a flat drawing would not)."""
    edge = ORIGINAL_EDGE
    hue = (index * 37) % 360
    base = _hsv(hue, 0.35, 0.85)
    dark = _hsv(hue, 0.55, 0.35)
    image = Image.new("RGB", (edge, edge), base)
    draw = ImageDraw.Draw(image)
    for y in range(0, edge, 8):  # vertical light falloff
        shade = 1.0 - 0.35 * y / edge
        draw.rectangle([0, y, edge, y + 8], fill=tuple(int(c * shade) for c in base))
    for _ in range(6):  # the object: a few overlapping shapes
        x0, y0 = rng.randint(200, 900), rng.randint(250, 900)
        x1, y1 = x0 + rng.randint(250, 600), y0 + rng.randint(250, 600)
        colour = _hsv(
            (hue + rng.randint(-40, 40)) % 360, rng.uniform(0.4, 0.9), rng.uniform(0.3, 0.9)
        )
        if rng.random() < 0.5:
            draw.ellipse([x0, y0, x1, y1], fill=colour, outline=dark, width=6)
        else:
            draw.rounded_rectangle([x0, y0, x1, y1], radius=40, fill=colour, outline=dark, width=6)
    for _ in range(120):  # texture: weave, grain, carving
        x, y = rng.randint(0, edge), rng.randint(0, edge)
        draw.line(
            [x, y, x + rng.randint(-200, 200), y + rng.randint(-200, 200)], fill=dark, width=2
        )
    image = image.filter(ImageFilter.GaussianBlur(2))
    # Grain at two scales: fine (sensor noise) and coarse (surface texture that
    # survives downscaling, so the 320 and 640 px renditions weigh what real ones do).
    fine = Image.frombytes("L", (edge, edge), rng.randbytes(edge * edge))
    coarse_edge = edge // 6
    coarse = Image.frombytes("L", (coarse_edge, coarse_edge), rng.randbytes(coarse_edge**2))
    coarse = coarse.resize((edge, edge), Image.Resampling.BICUBIC)
    image = Image.blend(image, Image.merge("RGB", (coarse, coarse, coarse)), 0.12)
    return Image.blend(image, Image.merge("RGB", (fine, fine, fine)), 0.05)


def _hsv(h: float, s: float, v: float) -> tuple[int, int, int]:
    import colorsys

    r, g, b = colorsys.hsv_to_rgb(h / 360, s, v)
    return int(r * 255), int(g * 255), int(b * 255)


def _photo_files() -> list[str]:
    names = ["original.jpg"]
    for width in RENDITION_WIDTHS:
        names += [f"{width}.webp", f"{width}.jpg"]
    return names


def _make_image_set(rng: random.Random, media_root: Path, count: int) -> list[dict]:
    """Draw and encode the shared photos (skipping files already on disk).

    Returns, per photo, the ProductImage fields: image name, width, height, renditions.
    """
    photos = []
    for index in range(count):
        stem = f"{IMAGE_DIR}/{index:02d}"
        folder = media_root / stem
        # Each photo has its own rng, so skipping one already on disk changes nothing else.
        photo_rng = random.Random(rng.getrandbits(64))
        if not all((folder / name).exists() for name in _photo_files()):
            folder.mkdir(parents=True, exist_ok=True)
            _write_photo(_draw_image(photo_rng, index), folder)
        renditions = {
            str(width): {
                "webp": f"{stem}/{width}.webp",
                "jpeg": f"{stem}/{width}.jpg",
                "width": width,
                "height": width,  # square photos
            }
            for width in RENDITION_WIDTHS
        }
        photos.append(
            {
                "image": f"{stem}/original.jpg",
                "width": ORIGINAL_EDGE,
                "height": ORIGINAL_EDGE,
                "renditions": renditions,
            }
        )
    return photos


def _write_photo(image: Image.Image, folder: Path) -> None:
    """The original and its renditions, encoded as core.images encodes uploads."""
    image.save(folder / "original.jpg", "JPEG", quality=85, optimize=True, progressive=True)
    for width in RENDITION_WIDTHS:
        small = image.resize((width, width), Image.Resampling.LANCZOS)
        small.save(folder / f"{width}.webp", "WEBP", quality=80, method=4)
        small.save(folder / f"{width}.jpg", "JPEG", quality=85, optimize=True, progressive=True)


# --- products ------------------------------------------------------------------------


def _round_price(value: float) -> int:
    step = 500 if value < 50_000 else 1_000 if value < 500_000 else 5_000
    return max(step, int(round(value / step) * step))


def _product_rows(
    rng: random.Random,
    ids: range,
    facilities: list[Facility],
    categories: dict[str, Category],
    until: datetime,
    photos: list[dict],
    image_rows: list[tuple],
    first_id: int,
) -> Iterator[tuple]:
    """Product rows for COPY; each product's photo rows (without ids) go to `image_rows`."""
    kinds = words.PRODUCT_KINDS
    weights = [k[6] for k in kinds]
    # Facilities differ in size: a few big workshops list hundreds of products.
    facility_weights = [rng.paretovariate(1.3) for _ in facilities]
    cumulative_facilities = _cumulative(facility_weights)
    cumulative_kinds = _cumulative(weights)
    for product_id in ids:
        slug_kind, base, variants, unit, (low, high), (wlow, whigh), _w, food = kinds[
            _pick(rng, cumulative_kinds)
        ]
        facility = facilities[_pick(rng, cumulative_facilities)]
        variant = rng.choice(variants)
        detail = rng.choice(words.COLOURS if not food and rng.random() < 0.6 else words.SIZES)
        name = f"{base} {variant} {detail}"
        programme = rng.choice(words.PROGRAMMES_BY_CATEGORY[slug_kind])
        sentences = [
            rng.choice(words.DESCRIPTION_OPENERS).format(
                name=name, lower=name.lower(), programme=f"{programme} {facility.name}"
            ),
            *rng.sample(words.DESCRIPTION_MIDDLES, 2),
            rng.choice(words.DESCRIPTION_CARE[food]),
        ]
        price = _round_price(math.exp(rng.uniform(math.log(low), math.log(high))))
        made_to_order = not food and rng.random() < 0.1
        stock = 0 if made_to_order or rng.random() < 0.05 else int(rng.paretovariate(1.2) * 8)
        approved_at = until - timedelta(seconds=rng.randint(3600, HISTORY_DAYS * 86400))
        created_at = approved_at - timedelta(hours=rng.randint(2, 240))
        heavy = unit == "m2" or whigh > 50_000
        n_images = rng.choice((1, 1, 2, 3))
        for position in range(n_images):
            photo = photos[rng.randrange(len(photos))]
            image_rows.append(
                (
                    product_id,
                    position,
                    photo["image"],
                    photo["width"],
                    photo["height"],
                    f"{name}, foto {position + 1}",
                    json.dumps(photo["renditions"]),
                    created_at,
                )
            )
        yield (
            product_id,
            facility.id,
            categories[slug_kind].id,
            name,
            # The ordinal, not the id: the same seed gives the same slugs anywhere.
            f"{slugify(name)}-{SLUG_PREFIX}{product_id - first_id + 1}"[:180],
            " ".join(sentences),
            price,
            unit,
            10 if unit == "m2" else 1,
            made_to_order,
            rng.randint(3, 21) if made_to_order else None,
            min(stock, 5000),
            rng.randint(wlow, whigh),
            None if food else rng.randint(5, 120),
            None if food else rng.randint(5, 80),
            None if food else rng.randint(2, 60),
            heavy or (food and rng.random() < 0.3),
            f"P-IRT {rng.randint(10**14, 10**15 - 1)}-{rng.randint(20, 30)}" if food else "",
            f"ID{rng.randint(10**13, 10**14 - 1)}" if food and rng.random() < 0.7 else "",
            rng.randint(7, 180) if food else None,
            rng.random() < 0.02,
            ListingStatus.APPROVED.value,
            approved_at,
            created_at,
            approved_at,
        )


PRODUCT_COLUMNS = [
    "id",
    "facility_id",
    "category_id",
    "name",
    "slug",
    "description",
    "price",
    "unit",
    "min_order_quantity",
    "made_to_order",
    "lead_time_days",
    "stock",
    "weight_grams",
    "length_cm",
    "width_cm",
    "height_cm",
    "local_only",
    "food_registration",
    "halal_certificate",
    "shelf_life_days",
    "is_featured",
    "status",
    "approved_at",
    "created_at",
    "updated_at",
]
IMAGE_COLUMNS = [
    "id",
    "product_id",
    "position",
    "image",
    "width",
    "height",
    "alt_text",
    "renditions",
    "created_at",
]


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    import bisect

    return bisect.bisect_right(cumulative, rng.random() * cumulative[-1]) - 1 if cumulative else 0


def _make_products(
    rng: random.Random,
    count: int,
    facilities: list[Facility],
    categories: dict[str, Category],
    until: datetime,
    photos: list[dict],
    batch: int = 20_000,
) -> tuple[int, int]:
    product_copier = _Copier(Product, PRODUCT_COLUMNS)
    image_copier = _Copier(ProductImage, IMAGE_COLUMNS)
    ids = _reserve_ids(Product, count)
    products = images = 0
    # Photo ids are reserved per batch (their count is only known as we go).
    for start in range(0, count, batch):
        chunk = ids[start : start + batch]
        image_rows: list[tuple] = []
        rows = list(
            _product_rows(rng, chunk, facilities, categories, until, photos, image_rows, ids.start)
        )
        products += product_copier.copy(rows)
        image_ids = _reserve_ids(ProductImage, len(image_rows))
        images += image_copier.copy(
            (image_id, *row) for image_id, row in zip(image_ids, image_rows, strict=True)
        )
    _approve_history(ids)
    return products, images


def _approve_history(ids: range) -> None:
    """Each product's review history: submitted, then approved (set-based)."""
    table = ListingReview._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table}
                (product_id, action, from_status, to_status, note, checklist, snapshot,
                 created_at)
            SELECT id, 'submit', 'draft', 'pending_review', '', '{{}}'::jsonb, '{{}}'::jsonb,
                created_at
            FROM catalog_product WHERE id BETWEEN %s AND %s
            UNION ALL
            SELECT id, 'approve', 'pending_review', 'approved', '', '{{}}'::jsonb, '{{}}'::jsonb,
                approved_at
            FROM catalog_product WHERE id BETWEEN %s AND %s
            """,
            [ids.start, ids.stop - 1, ids.start, ids.stop - 1],
        )


# --- entry point ---------------------------------------------------------------------


def wipe() -> None:
    """Empty every table the generator fills (and what hangs off them)."""
    from orders.models import Checkout

    tables = [
        Checkout._meta.db_table,
        Region._meta.db_table,
        Facility._meta.db_table,
        Product._meta.db_table,
        Category._meta.db_table,
    ]
    with connection.cursor() as cursor:
        # Inside a transaction (tests), deferred foreign-key checks of rows just
        # inserted would block TRUNCATE; run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def generate(
    *,
    seed: int,
    products: int,
    facilities: int = 500,
    orders: int = 0,
    media_root: Path,
    until: datetime = DEFAULT_UNTIL,
    images: int = IMAGE_SET_SIZE,
    log: Callable[[str], None] = lambda message: None,
) -> ScaleSummary:
    """Fill an empty catalog with national-scale data.

    Raises ScaleDataError when products or facilities already exist (wipe()
    first) or when a model has gained a required column the generator does not fill.
    """
    if Facility.objects.exists() or Product.objects.exists():
        raise ScaleDataError(
            "The database already has facilities or products; use --wipe to empty it first."
        )
    if facilities < len(words.PROVINCES):
        raise ScaleDataError(f"At least {len(words.PROVINCES)} facilities: one per region.")
    summary = ScaleSummary()
    rng = random.Random(seed)

    started = time.perf_counter()
    regions = _make_regions()
    facility_rows = _make_facilities(rng, regions, facilities)
    categories = _make_categories()
    summary.counts.update(
        regions=len(regions), facilities=len(facility_rows), categories=len(categories)
    )
    summary.timed("facilities", started)
    log(f"{len(regions)} regions, {len(facility_rows)} facilities")

    started = time.perf_counter()
    photos = _make_image_set(rng, media_root, images)
    summary.timed("photos", started)
    log(f"{len(photos)} shared photos drawn")

    started = time.perf_counter()
    made, image_count = _make_products(rng, products, facility_rows, categories, until, photos)
    summary.counts.update(products=made, product_images=image_count)
    summary.timed("products", started)
    log(f"{made} products, {image_count} photos copied")

    started = time.perf_counter()
    refresh_search_vectors()
    summary.timed("search_vectors", started)
    log("search vectors filled")

    if orders:
        from seeds.scale_orders import make_orders

        started = time.perf_counter()
        summary.counts.update(make_orders(rng, orders, facility_rows, until=until, log=log))
        summary.timed("orders", started)

    started = time.perf_counter()
    _analyze()
    summary.timed("analyze", started)
    return summary


def _analyze() -> None:
    """Fresh planner statistics (and, outside a transaction, no dead rows from
    the search-vector UPDATE), so EXPLAIN reflects steady state."""
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute("ANALYZE")
        else:
            # FULL: the search-vector UPDATE rewrote every row; a live table
            # is not half dead rows, and the benchmark should not read them.
            cursor.execute("VACUUM (FULL, ANALYZE) catalog_product")
            cursor.execute("ANALYZE")
