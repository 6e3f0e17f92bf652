"""Template helpers of the storefront pages: responsive product photos."""

from django import template

from catalog.models import ProductImage

register = template.Library()

# Width of the rendition used as the plain <img src> (old browsers, and the
# intrinsic size the width/height attributes describe).
FALLBACK_WIDTH = 640

# The `sizes` of a product card photo. On phones the card is ~175 CSS px wide,
# but the slot is declared as 106px so even a 3x screen takes the 320 px
# rendition: a thumbnail at ~1.8x density looks sharp enough, and twenty
# cards cost a fifth of the data (the catalog's first view must stay under
# 500 KB; see tests/catalog/test_views_page_weight.py).
CARD_SIZES = "(min-width: 1000px) 250px, (min-width: 700px) 30vw, 106px"
# The product page's main photo: full width on a phone, declared as 210px
# so a dense phone screen takes the 640 px rendition rather than the 1280 one.
GALLERY_SIZES = "(min-width: 700px) 50vw, 210px"


@register.inclusion_tag("partials/product_picture.html")
def product_picture(
    image: ProductImage | None,
    *,
    gallery: bool = False,
    eager: bool = False,
    alt: str = "",
    css_class: str = "",
):
    """<picture> with a WebP srcset, a JPEG fallback srcset, and width/height
    set so the page does not shift while photos load. Lazy unless `eager`
    (the photos above the fold); `gallery` for the product page's photos."""
    if not image:  # no photo yet (an empty prefetch gives the template "")
        return {"image": None, "alt": alt, "css_class": css_class}
    entry = image.renditions.get(str(FALLBACK_WIDTH), {})
    return {
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
