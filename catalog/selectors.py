"""Read-side queries of the storefront, with their joins in place so a page's
query count does not grow with its rows."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404, QueryDict

from catalog.filters import ProductFilter, Sort
from catalog.models import Category, ExhibitionProduct, Product, ProductImage
from catalog.paging import SearchPaginator
from catalog.search import (
    clean_query,
    fulltext_search,
    ranked,
    suggest_query,
    trigram_search,
    trigram_threshold,
)
from facilities.models import Exhibition, Facility, PartnerOutlet
from facilities.scoping import scope_for


def _cover_prefetch() -> Prefetch:
    # Only the first photo of each product, in one query for the whole page
    # (a sliced prefetch becomes a window function).
    return Prefetch(
        "images",
        queryset=ProductImage.objects.order_by("position", "id")[:1],
        to_attr="cover_images",
    )


def public_products() -> QuerySet[Product]:
    """Public products ready for product cards: facility, category and cover
    photo loaded with the page."""
    return (
        Product.objects.public()
        .select_related("facility", "category")
        .prefetch_related(_cover_prefetch())
    )


# What a product card shows (catalog/cards.py's facts): a listing page loads
# these columns only, not whole rows (description and search vector are
# ~1.6 KB a row), and its facility's name only. Building 24 full Product and
# Facility objects was ~7 ms of a built catalog page's Python (bench.buildphases).
CARD_FIELDS = (
    "id",
    "slug",
    "name",
    "updated_at",
    "price",
    "unit",
    "made_to_order",
    "stock",
    "min_order_quantity",
    "rating_avg",
    "rating_count",
    "facility",
    "facility__name",
)
COVER_FIELDS = ("id", "product_id", "image", "width", "height", "alt_text", "renditions")


def _card_cover_prefetch() -> Prefetch:
    # The first photo of each product in one query for the whole page, as
    # DISTINCT ON (product_id): cheaper to compile and run than the window
    # function a sliced prefetch becomes, and only the columns a card shows.
    return Prefetch(
        "images",
        queryset=ProductImage.objects.order_by("product_id", "position", "id")
        .distinct("product_id")
        .only(*COVER_FIELDS),
        to_attr="cover_images",
    )


def listing_products() -> QuerySet[Product]:
    """Public products for the cards of a listing page (catalog, category,
    search, storefront): the card's columns, the facility's name, the cover
    photo. Anything else read from these rows is a query per product."""
    return (
        Product.objects.public()
        .select_related("facility")
        .only(*CARD_FIELDS)
        .prefetch_related(_card_cover_prefetch())
    )


def newly_approved_products(*, limit: int = 8) -> QuerySet[Product]:
    return public_products().order_by("-approved_at", "-id")[:limit]


def featured_products(*, limit: int = 8) -> QuerySet[Product]:
    return public_products().filter(is_featured=True).order_by("-approved_at", "-id")[:limit]


def top_categories() -> QuerySet[Category]:
    return Category.objects.filter(parent__isnull=True).order_by("position", "name_id")


def category_by_slug(slug: str) -> Category:
    """The category with its parent and children (for breadcrumbs and chips)."""
    try:
        return Category.objects.select_related("parent").prefetch_related("children").get(slug=slug)
    except Category.DoesNotExist as exc:
        raise Http404 from exc


def products_in_category(category: Category) -> QuerySet[Product]:
    """Public products of `category` and of its children (prefetched by
    category_by_slug, so this costs no query)."""
    ids = [category.pk, *(child.pk for child in category.children.all())]
    return listing_products().filter(category_id__in=ids)


def active_facility_by_slug(slug: str) -> Facility:
    try:
        return Facility.objects.select_related("region").get(slug=slug, is_active=True)
    except Facility.DoesNotExist as exc:
        raise Http404 from exc


def default_per_page() -> int:
    return getattr(settings, "CATALOG_PER_PAGE", 24)


@dataclass
class Listing:
    """One page of a catalog listing and everything the template shows about it."""

    filterset: ProductFilter
    page: Page
    query: str = ""
    sort: str = Sort.NEWEST
    # "fulltext", "trigram" (names resembling a misspelt query) or "".
    search_mode: str = ""
    suggestion: str = ""

    @property
    def products(self) -> list[Product]:
        return self.page.object_list

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def total_is_capped(self) -> bool:
        """A common search word: more matches than were counted ("1.000+")."""
        return getattr(self.page.paginator, "capped", False)

    @property
    def counted_up_to(self) -> int:
        return getattr(self.page.paginator, "cap", self.total)


def browse_products(
    *,
    data: QueryDict,
    queryset: QuerySet[Product] | None = None,
    without: tuple[str, ...] = (),
) -> Listing:
    """Filter, search, sort and paginate public products from a GET's `data`.

    Full-text search first; when it finds nothing within the chosen filters,
    names resembling the query (trigram similarity) are shown instead, with a
    corrected query to suggest. Costs: the filter choices (one query each for
    categories and facilities when shown), one count, one page, one photo query;
    one more count when the fallback runs. Full-text results are counted up
    to a cap and ranked by id first (catalog.paging), one query more.
    """
    base = listing_products() if queryset is None else queryset
    data = data.copy()
    query = clean_query(data.get("q"))
    # The defaults go into the form's data so its selects show what applies.
    if data.get("sort") not in Sort.ORDER_BY or (data["sort"] == Sort.RELEVANCE and not query):
        data["sort"] = Sort.RELEVANCE if query else Sort.NEWEST
    data.setdefault("per_page", str(default_per_page()))
    filterset = ProductFilter(data, queryset=base, without=without)
    filtered = filterset.qs
    cleaned = filterset.cleaned
    sort = cleaned.get("sort") or Sort.NEWEST
    # The form only accepts PER_PAGE_CHOICES; the setting is the default.
    per_page = int(cleaned.get("per_page") or default_per_page())
    page_number = data.get("page") or 1

    if not query:
        results = filtered.order_by(*Sort.ORDER_BY[sort])
        page = Paginator(results, per_page).get_page(page_number)
        return Listing(filterset=filterset, page=page, sort=sort)

    matches = fulltext_search(filtered, query)
    results = matches.order_by(*Sort.ORDER_BY[sort])

    def newest_ranked(cap: int) -> QuerySet[Product]:
        # A very common word: rank the newest `cap` matches only (catalog.paging).
        newest = matches.order_by("-approved_at", "-id").values("pk")[:cap]
        return ranked(filtered.filter(pk__in=newest), query).order_by(*Sort.ORDER_BY[sort])

    paginator = SearchPaginator(
        results,
        per_page,
        load=lambda ids: base.filter(pk__in=ids),
        narrow=newest_ranked if sort == Sort.RELEVANCE else None,
    )
    mode = "fulltext"
    suggestion = ""
    if paginator.count:
        page = paginator.get_page(page_number)
    else:
        results = trigram_search(filtered, query).order_by(*Sort.ORDER_BY[sort])
        with trigram_threshold():
            paginator = Paginator(results, per_page)
            page = paginator.get_page(page_number)
            # Evaluated here, inside the threshold's transaction.
            page.object_list = list(page.object_list)
        mode = "trigram" if paginator.count else ""
    if mode == "trigram":
        closest = sorted(page.object_list, key=lambda p: p.rank, reverse=True)
        suggestion = suggest_query(query, [p.name for p in closest[:5]])
    return Listing(
        filterset=filterset,
        page=page,
        query=query,
        sort=sort,
        search_mode=mode,
        suggestion=suggestion,
    )


def product_for_page(*, slug: str, user) -> tuple[Product, bool]:
    """The product at `slug` with everything its page shows, and whether the
    page is a staff preview.

    Raises Http404 when the product does not exist, or is not public and
    `user` is not staff whose scope covers its facility.
    """
    product = (
        Product.objects.select_related("facility__region", "category__parent")
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
            "price_tiers",
        )
        .filter(slug=slug)
        .first()
    )
    if product is None:
        raise Http404
    if product.is_public:
        return product, False
    # Scope rules live in facilities.scoping; ask it rather than re-deriving.
    scope = scope_for(user)
    if scope.role and scope.filter_facility_rows(Product.objects.filter(pk=product.pk)).exists():
        return product, True
    raise Http404


def related_products(product: Product, *, limit: int = 4) -> QuerySet[Product]:
    """Other public products of the same category, then of the same facility.

    Picked as ids in two small LIMIT queries that each walk an index, then
    loaded once with the usual joins. One OR-query sorting "same category
    first" had to sort every match (14,000 rows at 100,000 products: 40 ms
    quiet, 440 ms under load, measured by the bench).
    """
    newest_first = ("-approved_at", "-id")
    others = public_products().exclude(pk=product.pk)
    ids = list(
        others.filter(category_id=product.category_id)
        .order_by(*newest_first)
        .values_list("id", flat=True)[:limit]
    )
    if len(ids) < limit:
        ids += list(
            others.filter(facility_id=product.facility_id)
            .exclude(category_id=product.category_id)
            .order_by(*newest_first)
            .values_list("id", flat=True)[: limit - len(ids)]
        )
    position = Case(
        *[When(pk=pk, then=Value(index)) for index, pk in enumerate(ids)],
        output_field=IntegerField(),
    )
    return public_products().filter(pk__in=ids).order_by(position) if ids else others.none()


def feed_products(*, facility: Facility | None = None) -> QuerySet[Product]:
    """Public products for a product feed, oldest first so a channel sees a
    stable order: facility, category and cover photo in three queries whatever
    the size."""
    queryset = public_products()
    if facility is not None:
        queryset = queryset.filter(facility=facility)
    return queryset.order_by("id")


def outlets_carrying(product: Product) -> QuerySet[PartnerOutlet]:
    """Partner outlets whose agreement is in force and that carry `product`
    ("also available at"); one query."""
    return (
        PartnerOutlet.objects.current()
        .filter(products_carried__product=product)
        .order_by("city", "name")
    )


def facility_outlets(facility: Facility) -> QuerySet[PartnerOutlet]:
    """A facility's partner outlets with an agreement in force; one query."""
    return PartnerOutlet.objects.current().filter(facility=facility).order_by("city", "name")


def next_exhibition(facility: Facility) -> Exhibition | None:
    """The facility's next (or running) event, organised or joined; one query."""
    return (
        Exhibition.objects.upcoming()
        .filter(Q(facility=facility) | Q(participants=facility))
        .order_by("starts_on", "id")
        .first()
    )


def upcoming_exhibitions() -> QuerySet[Exhibition]:
    """Events not yet over, by province then date, with participants and the
    public products on show prefetched: three queries whatever the count."""
    on_show = (
        ExhibitionProduct.objects.filter(product__in=Product.objects.public())
        .select_related("product")
        .order_by("product__name")
    )
    return (
        Exhibition.objects.upcoming()
        .prefetch_related(
            Prefetch("participants", queryset=Facility.objects.filter(is_active=True)),
            Prefetch("products_on_show", queryset=on_show),
        )
        .order_by("province", "starts_on", "id")
    )
