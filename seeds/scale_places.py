"""The scale data's regions (one Kanwil a province), facilities spread over
them in proportion to their cities, and the catalog's categories."""

from __future__ import annotations

import random

from django.utils.text import slugify

from catalog.models import Category
from facilities.models import BankAccount, Facility, Region
from seeds import scale_words as words


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
