"""Structured data and share metadata for product pages (schema.org JSON-LD,
Open Graph). Absolute links come from SITE_URL, never from the request's Host
header, so a crafted Host cannot end up in what search engines store."""

import json

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from catalog.models import Product, ProductImage

SCHEMA_AVAILABILITY = {
    "in_stock": "https://schema.org/InStock",
    "made_to_order": "https://schema.org/MadeToOrder",
    "out_of_stock": "https://schema.org/OutOfStock",
}

# Characters that could end the <script> block or open markup, escaped as JSON
# unicode escapes (the same set Django's json_script escapes).
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

# Functions (product, data) -> None that add to a product's JSON-LD, registered
# by apps built on top of the catalog (reviews adds aggregateRating) so the
# catalog never imports them.
PRODUCT_JSON_LD_EXTENSIONS: list = []


def absolute_url(path_or_url: str) -> str:
    if not path_or_url or path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return f"{settings.SITE_URL}{path_or_url}"


def share_image_url(image: ProductImage | None) -> str:
    """The largest JPEG rendition (what every social network reads)."""
    if image is None:
        return ""
    return absolute_url(image.rendition_url(1280, "jpeg"))


def availability_key(product: Product) -> str:
    if product.made_to_order:
        return "made_to_order"
    return "in_stock" if product.in_stock else "out_of_stock"


def product_json_ld(
    product: Product,
    images: list[ProductImage],
    *,
    url: str = "",
    plain_description: str | None = None,
    image_urls: list[str] | None = None,
) -> dict:
    """schema.org Product with one Offer in IDR; the brand is the facility
    (a listing never names a person). The product page passes what it has
    already worked out (its absolute `url`, the description without tags,
    the photos' share URLs) so they are not worked out twice."""
    url = url or absolute_url(product.get_absolute_url())
    if plain_description is None:
        plain_description = strip_tags(product.description)
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": Truncator(plain_description).chars(500),
        "sku": str(product.pk),
        "url": url,
        "category": product.category.name,
        "brand": {"@type": "Brand", "name": product.facility.name},
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": str(product.price),
            "priceCurrency": "IDR",
            "availability": SCHEMA_AVAILABILITY[availability_key(product)],
            "itemCondition": "https://schema.org/NewCondition",
            "seller": {"@type": "Organization", "name": product.facility.name},
        },
    }
    if images:
        data["image"] = image_urls or [share_image_url(image) for image in images]
    if product.weight_grams:
        data["weight"] = {
            "@type": "QuantitativeValue",
            "value": product.weight_grams,
            "unitCode": "GRM",
        }
    for extend in PRODUCT_JSON_LD_EXTENSIONS:
        extend(product, data)
    return data


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> block. It is data, not code, so
    a script-src CSP does not apply to it."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308
