"""Template helpers of the storefront pages: responsive product photos."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag
def product_picture(
    image: ProductImage | None,
    *,
    gallery: bool = False,
    eager: bool = False,
    alt: str = "",
    css_class: str = "",
) -> SafeString:
    """<picture> with a WebP srcset, a JPEG fallback srcset, and width/height
    set so the page does not shift while photos load. Lazy unless `eager`
    (the photos above the fold); `gallery` for the product page's photos.

    Written here rather than as an inclusion template: a product page shows
    every photo, and the template (a context, ~15 nodes) cost ~0.5 ms a
    photo on the bench machine. The markup is what
    partials/product_picture.html rendered, byte for byte (tests compare).
    """
    css = conditional_escape(css_class)
    if not image:  # no photo yet (an empty prefetch gives the template "")
        return mark_safe(  # noqa: S308 - every value escaped above/below
            f'<div class="no-photo{" " + css if css else ""}" role="img" '
            f'aria-label="{conditional_escape(alt)}"></div>\n'
        )
    entry = image.renditions.get(str(FALLBACK_WIDTH), {})
    webp = conditional_escape(image.srcset("webp"))
    jpeg = conditional_escape(image.srcset("jpeg"))
    sizes = GALLERY_SIZES if gallery else CARD_SIZES
    source = f'<source type="image/webp" srcset="{webp}" sizes="{sizes}">' if webp else ""
    jpeg_attrs = f' srcset="{jpeg}" sizes="{sizes}"' if jpeg else ""
    width = entry.get("width") or image.width or FALLBACK_WIDTH
    height = entry.get("height") or image.height or FALLBACK_WIDTH
    loading = 'fetchpriority="high"' if eager else 'loading="lazy" decoding="async"'
    return mark_safe(  # noqa: S308 - every value escaped
        f"<picture{f' class={chr(34)}{css}{chr(34)}' if css else ''}>\n"
        f"  {source}\n"
        f'  <img src="{conditional_escape(image.rendition_url(FALLBACK_WIDTH, "jpeg"))}"'
        f'{jpeg_attrs} width="{conditional_escape(width)}" height="{conditional_escape(height)}"'
        f' alt="{conditional_escape(image.alt_text or alt)}" {loading}>\n'
        "</picture>\n"
    )
