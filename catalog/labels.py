"""What a printed product label says (the A4 sheet from the product admin).

Food labels carry what Indonesian food-label rules ask (PP 69/1999 on food
labels and advertising; BPOM's labelling rules): the product's name, the
registration number (P-IRT for home industry, BPOM MD/ML otherwise), the halal
certificate number, the composition, the net weight or volume, the producer
(the facility and its city) and the best-before date, here the production
date chosen at printing plus the product's shelf life. Every label carries
the Code128 barcode of catalog.barcode_value, the same value the stand till
scans. Never a person's name: the maker of a piece is never printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from catalog.barcode_value import product_barcode
from catalog.models import Product
from core.barcodes import code128_svg
from core.money import format_rupiah

# 3 columns x 8 rows of 70 x 37 mm: the common A4 label sheet (e.g. Tom & Jerry
# No. 121 / Avery L7160-like sizes sold in Indonesian stationery shops).
LABELS_PER_SHEET = 24
MAX_COPIES = 48


@dataclass
class ProductLabel:
    name: str
    price: str
    facility: str
    city: str
    barcode_value: str
    barcode_svg: SafeString
    is_food: bool
    food_registration: str = ""
    halal_certificate: str = ""
    composition: str = ""
    net_content: str = ""
    produced_on: date | None = None
    best_before: date | None = None
    # What the law asks of a food label that this product does not have yet.
    missing: list[str] = field(default_factory=list)


def food_fields_missing(product: Product) -> list[str]:
    """The legally required food facts this product lacks (labels in Indonesian)."""
    required = [
        ("food_registration", _("nomor P-IRT/BPOM")),
        ("composition", _("komposisi")),
        ("net_content", _("berat/isi bersih")),
        ("shelf_life_days", _("masa simpan")),
    ]
    return [str(label) for name, label in required if not getattr(product, name)]


def label_for(product: Product, *, produced_on: date) -> ProductLabel:
    """The label of `product` (facility joined), food facts only for food."""
    value = product_barcode(product.pk)
    label = ProductLabel(
        name=product.name,
        price=format_rupiah(product.price),
        facility=product.facility.name,
        city=product.facility.city,
        barcode_value=value,
        barcode_svg=code128_svg(value, height=40),
        is_food=product.is_food,
    )
    if label.is_food:
        label.food_registration = product.food_registration
        label.halal_certificate = product.halal_certificate
        label.composition = product.composition
        label.net_content = product.net_content
        label.produced_on = produced_on
        if product.shelf_life_days:
            label.best_before = produced_on + timedelta(days=product.shelf_life_days)
        label.missing = food_fields_missing(product)
    return label


def labels_for(products, *, produced_on: date, copies: int = 1) -> list[ProductLabel]:
    """`copies` labels of each product, in the given order."""
    copies = max(1, min(copies, MAX_COPIES))
    labels = []
    for product in products:
        one = label_for(product, produced_on=produced_on)
        labels.extend([one] * copies)
    return labels


def sheets(labels: list[ProductLabel]) -> list[list[ProductLabel]]:
    """The labels cut into A4 sheets of LABELS_PER_SHEET."""
    return [
        labels[start : start + LABELS_PER_SHEET]
        for start in range(0, len(labels), LABELS_PER_SHEET)
    ]
