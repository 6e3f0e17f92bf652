"""Template helpers of the storefront pages: responsive product photos."""

from django import template

from catalog.models import ProductImage

register = template.Library()

# Width of the rendition used as the plain <img src> (old browsers, and the
# intrinsic size the width/height attributes describe).
FALLBACK_WIDTH = 640


@register.inclusion_tag("partials/product_picture.html")
def product_picture(
    image: ProductImage | None,
    *,
    sizes: str = "(min-width: 1000px) 25vw, (min-width: 700px) 33vw, 50vw",
    eager: bool = False,
    alt: str = "",
    css_class: str = "",
):
    """<picture> with a WebP srcset, a JPEG fallback srcset, and width/height
    set so the page does not shift while photos load. Lazy unless `eager`
    (the photos above the fold)."""
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
        "sizes": sizes,
        "lazy": not eager,
        "alt": image.alt_text or alt,
        "css_class": css_class,
    }
