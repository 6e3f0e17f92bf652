"""Product feeds for other channels (Google Merchant Center and anything that
reads its format): RSS 2.0 with the g: namespace, and the same rows as CSV.

Built from the data on every request, so a feed is never older than the
catalog. Links come from SITE_URL, never from the request's Host header.
Field names and values follow Google's product data specification:
https://support.google.com/merchants/answer/7052112
"""

import io
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from xml.etree import ElementTree as ET

from django.utils.html import strip_tags
from django.utils.text import Truncator

from catalog.models import Product
from catalog.structured_data import absolute_url
from core.exports import csv_writer

G_NAMESPACE = "http://base.google.com/ns/1.0"
ET.register_namespace("g", G_NAMESPACE)

# Google's limits: title 150 characters, description 5,000.
TITLE_MAX = 150
DESCRIPTION_MAX = 5000


@dataclass(frozen=True)
class FeedItem:
    """One product as a feed row; the field order is the CSV's column order."""

    id: str
    title: str
    description: str
    link: str
    image_link: str
    price: str
    availability: str
    brand: str
    condition: str
    product_type: str


FEED_COLUMNS = [f.name for f in fields(FeedItem)]


def feed_availability(product: Product) -> str:
    """Google's availability value: a made-to-order piece is a pre-order
    (made after it is ordered), ready stock below the minimum order is out."""
    if product.made_to_order:
        return "preorder"
    return "in_stock" if product.in_stock else "out_of_stock"


def _cover_url(product: Product) -> str:
    # cover_images comes from the selector's sliced prefetch (one query a page).
    covers = getattr(product, "cover_images", None)
    if covers is None:
        covers = list(product.images.all()[:1])
    if not covers:
        return ""
    # The largest JPEG rendition: every channel reads JPEG, not all read WebP.
    return absolute_url(covers[0].rendition_url(1280, "jpeg"))


def feed_item(product: Product) -> FeedItem:
    description = " ".join(strip_tags(product.description).split())
    return FeedItem(
        id=str(product.pk),
        title=Truncator(product.name).chars(TITLE_MAX),
        description=Truncator(description).chars(DESCRIPTION_MAX),
        link=absolute_url(product.get_absolute_url()),
        image_link=_cover_url(product),
        price=f"{product.price} IDR",
        availability=feed_availability(product),
        brand=product.facility.name,
        condition="new",
        product_type=product.category.name,
    )


def render_xml(items: Iterable[FeedItem], *, title: str, link: str, description: str) -> bytes:
    """An RSS 2.0 document, one <item> per product with g: elements."""
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = link
    ET.SubElement(channel, "description").text = description
    for item in items:
        element = ET.SubElement(channel, "item")
        for name, value in zip(FEED_COLUMNS, astuple(item), strict=True):
            if value:
                ET.SubElement(element, f"{{{G_NAMESPACE}}}{name}").text = value
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def render_csv(items: Iterable[FeedItem]) -> str:
    """The same rows as CSV with Google's column names as the header."""
    buffer = io.StringIO()
    # Titles and descriptions are typed by staff: never spreadsheet formulas.
    writer = csv_writer(buffer)
    writer.writerow(FEED_COLUMNS)
    for item in items:
        writer.writerow(astuple(item))
    return buffer.getvalue()
