"""{% product_picture %} is written in Python (catalog/templatetags/storefront.py)
for speed; partials/product_picture.html stays the reference markup, and the
two must agree byte for byte."""

import pytest
from django.template.loader import get_template

from catalog.templatetags.storefront import (
    CARD_SIZES,
    FALLBACK_WIDTH,
    GALLERY_SIZES,
    product_picture,
)
from tests.catalog.factories import ProductImageFactory


def _reference(image, gallery=False, eager=False, alt="", css_class=""):
    template = get_template("partials/product_picture.html")
    if not image:
        return template.render({"image": None, "alt": alt, "css_class": css_class})
    entry = image.renditions.get(str(FALLBACK_WIDTH), {})
    return template.render(
        {
            "image": image,
            "webp_srcset": image.srcset("webp"),
            "jpeg_srcset": image.srcset("jpeg"),
            "src": image.rendition_url(FALLBACK_WIDTH, "jpeg"),
            "width": entry.get("width") or image.width or FALLBACK_WIDTH,
            "height": entry.get("height") or image.height or FALLBACK_WIDTH,
            "sizes": GALLERY_SIZES if gallery else CARD_SIZES,
            "lazy": not eager,
            "alt": image.alt_text or alt,
            "css_class": css_class,
        }
    )


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"gallery": True, "eager": True, "css_class": "gallery-item"},
        {"alt": 'Tas "<rajut>" & co', "css_class": "a<b"},
    ],
)
def test_the_tag_writes_the_reference_markup(db, options):
    image = ProductImageFactory(alt_text='Tas <biru> & "hijau"')
    bare = ProductImageFactory(alt_text="")
    bare.renditions = {}
    for picture in (image, bare, None):
        assert str(product_picture(picture, **options)) == _reference(picture, **options)
