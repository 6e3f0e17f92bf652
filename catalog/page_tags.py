"""What the catalog tells the page cache (core.page_cache): which of
its rows public pages show, which pages a write retires, and what a page
depends on.

Tags are named by what a URL names (slugs, the province), so a view can
declare them from the request before it reads a row:

- `product:<slug>`: the product's page, and the pages showing its card as a
  related product;
- `products:all`, `products:category:<slug>`, `products:province:<name>`,
  `products:category:<slug>:province:<name>`, `products:facility:<slug>`:
  the listings that could show a product of that scope (a product in a
  sub-category counts for its parent too);
- `facility:<slug>`: a facility's storefront and its products' pages
  (outlets, next exhibition); `exhibitions`: /pameran/.

A product save retires its own tag and the listing tags of its scope, as it
was and as it is (a move to another category retires both). A listing page
depends on its narrowest scope: a page filtered by facility on
`products:facility:<slug>`, by category and province on the pair, and so
on; search and unfiltered pages on `products:all`.
"""

from core.page_cache import GLOBAL, LISTS
from facilities.page_tags import EXHIBITIONS, facility_tag

ALL_PRODUCTS = "products:all"


def product_tag(slug: str) -> str:
    """The product's page, and the pages showing its card as a related product."""
    return f"product:{slug}"


def _scope_tags(*, facility_slug: str, province: str, category_slugs: list[str]) -> set[str]:
    tags = {ALL_PRODUCTS, f"products:facility:{facility_slug}", f"products:province:{province}"}
    for slug in category_slugs:
        tags.add(f"products:category:{slug}")
        tags.add(f"products:category:{slug}:province:{province}")
    return tags


def product_tags(product) -> set[str]:
    """What a write to `product` retires."""
    category = product.category
    slugs = [category.slug]
    if category.parent_id:
        slugs.append(category.parent.slug)
    facility = product.facility
    return {
        product_tag(product.slug),
        *_scope_tags(facility_slug=facility.slug, province=facility.province, category_slugs=slugs),
    }


def listing_tags(data, *, category_slug: str = "", facility_slug: str = "") -> set[str]:
    """The narrowest scope of a listing page from its GET `data` (a page whose
    category, facility or province is fixed by its URL passes it)."""
    facility_slug = facility_slug or data.get("facility") or ""
    category_slug = category_slug or data.get("category") or ""
    province = data.get("province") or ""
    if facility_slug:
        return {f"products:facility:{facility_slug}", LISTS}
    if category_slug and province:
        return {f"products:category:{category_slug}:province:{province}", LISTS}
    if category_slug:
        return {f"products:category:{category_slug}", LISTS}
    if province:
        return {f"products:province:{province}", LISTS}
    return {ALL_PRODUCTS, LISTS}


def cleaned_listing_tags(listing, **fixed) -> set[str]:
    """The tags of the filters the form really applied: an invalid value
    (an unknown category) is dropped by the form, and the page then lists a
    wider scope than its URL says."""
    cleaned = listing.filterset.cleaned
    return listing_tags({k: cleaned.get(k) for k in ("facility", "category", "province")}, **fixed)


def register() -> None:
    """Called from CatalogConfig.ready()."""
    from catalog.models import (
        Category,
        ConsignmentMovement,
        ExhibitionProduct,
        ListingReview,
        OutletProduct,
        PriceTier,
        Product,
        ProductImage,
        StockHold,
    )
    from core.page_cache import register_private_models, register_public_model

    register_public_model(Product, tags=product_tags, moved_by=("category", "facility", "slug"))
    register_public_model(ProductImage, tags=lambda image: product_tags(image.product))
    register_public_model(PriceTier, tags=lambda tier: product_tags(tier.product))
    register_public_model(
        OutletProduct,
        tags=lambda link: {
            product_tag(link.product.slug),
            facility_tag(link.product.facility.slug),
        },
    )
    register_public_model(
        ExhibitionProduct, tags=lambda link: {EXHIBITIONS, product_tag(link.product.slug)}
    )
    # Names in every filter form and breadcrumb: rare, everything.
    register_public_model(Category, tags=lambda category: {GLOBAL})
    # A hold's units leave Product.stock through catalog.stock, which retires
    # the product's pages itself when that sells it out or brings it back.
    register_private_models(ListingReview, ConsignmentMovement, StockHold)
