"""Read-side queries of the storefront, with their joins in place so a page's
query count does not grow with its rows."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404, QueryDict
from django.utils import timezone

from catalog.card_rows import card_products
from catalog.category_merge import MergedCategoryIds
from catalog.filters import ProductFilter, Sort
from catalog.models import Category, ExhibitionProduct, Product, ProductImage
from catalog.paging import SearchPaginator
from catalog.prepared import Prepared
from catalog.product_query import product_page_row
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


def listing_products() -> QuerySet[Product]:
    """The products a listing page (catalog, category, search, storefront)
    picks its page from: public ones, no joins or columns beyond the filters'.
    The page's ids are taken from it and its cards read by
    catalog.card_rows.card_products (one query of constant SQL)."""
    return Product.objects.public()


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


def category_tree_ids(category: Category) -> list[int]:
    """`category` and its children (prefetched by category_by_slug: no query)."""
    return [category.pk, *(child.pk for child in category.children.all())]


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
    category_ids: Collection[int] = (),
) -> Listing:
    """Filter, search, sort and paginate public products from a GET's `data`.

    Full-text search first; when it finds nothing within the chosen filters,
    names resembling the query (trigram similarity) are shown instead, with a
    corrected query to suggest. Costs: the filter choices (one query each for
    categories and facilities when shown, cached), one count, the page's ids,
    the cards' rows with their cover photos (catalog.card_rows); one more
    count when the fallback runs. Full-text results are counted up to a cap
    (catalog.paging). `category_ids`: the categories to list (a category's
    page); a listing of several is read per category (catalog.category_merge).
    """
    base = listing_products() if queryset is None else queryset
    if category_ids:
        base = base.filter(category_id__in=category_ids)
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
        category_ids = filterset.category_ids or category_ids
        if len(category_ids) > 1:
            ids = MergedCategoryIds(filtered, category_ids, Sort.ORDER_BY[sort])
        else:
            ids = filtered.order_by(*Sort.ORDER_BY[sort]).values_list("pk", flat=True)
        page = Paginator(ids, per_page).get_page(page_number)
        page.object_list = card_products(list(page.object_list))
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
        load=card_products,
        narrow=newest_ranked if sort == Sort.RELEVANCE else None,
    )
    mode = "fulltext"
    suggestion = ""
    if paginator.count:
        page = paginator.get_page(page_number)
    else:
        results = trigram_search(filtered, query, Sort.ORDER_BY[sort])
        with trigram_threshold():
            paginator = Paginator(results.values_list("pk", "rank", "name"), per_page)
            page = paginator.get_page(page_number)
            # Evaluated here, inside the threshold's transaction.
            matched = list(page.object_list)
        mode = "trigram" if paginator.count else ""
        page.object_list = card_products([pk for pk, _rank, _name in matched])
        if mode == "trigram":
            closest = sorted(matched, key=lambda row: row[1], reverse=True)
            suggestion = suggest_query(query, [name for _pk, _rank, name in closest[:5]])
    return Listing(
        filterset=filterset,
        page=page,
        query=query,
        sort=sort,
        search_mode=mode,
        suggestion=suggestion,
    )


def product_for_page(*, slug: str, user) -> tuple[Product, bool]:
    """The product at `slug` with everything its page shows (facility with
    region, category with parent, photos, price tiers, the outlets carrying
    it, what apps add), in one query (catalog.product_query), and whether
    the page is a staff preview.

    Raises Http404 when the product does not exist, or is not public and
    `user` is not staff whose scope covers its facility.
    """
    product = product_page_row(slug, timezone.localdate())
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


_OUTLETS_CARRYING = Prepared(
    lambda product_id, today: (
        PartnerOutlet.objects.current(today=today)
        .filter(products_carried__product_id=product_id)
        .order_by("city", "name")
    ),
    product_id=int,
    today=date,
)


def outlets_carrying(product: Product) -> list[PartnerOutlet]:
    """Partner outlets whose agreement is in force and that carry `product`
    ("also available at"): read with the product by product_for_page, else
    one query, compiled once."""
    loaded = getattr(product, "page_outlets", None)
    if loaded is not None:
        return loaded
    return _OUTLETS_CARRYING.all(product_id=product.pk, today=timezone.localdate())


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
