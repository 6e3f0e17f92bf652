"""The storefront's filter form: every choice lives in the URL's query string,
so a filtered, sorted, searched page can be shared and bookmarked."""

import hashlib
from typing import NamedTuple

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, Product
from catalog.widgets import FastSelect
from core.page_cache import cached_public_data, public_generation
from facilities.models import Facility

PER_PAGE_CHOICES = (12, 24, 48)


class FacilityChoice(NamedTuple):
    slug: str
    name: str
    province: str


class Sort:
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    RELEVANCE = "relevance"
    RATING = "rating"

    CHOICES = [
        (RELEVANCE, _("Paling relevan")),
        (NEWEST, _("Terbaru")),
        (PRICE_ASC, _("Harga terendah")),
        (PRICE_DESC, _("Harga tertinggi")),
        (RATING, _("Ulasan terbaik")),
    ]
    # The id breaks ties so pages never repeat or skip a product.
    ORDER_BY = {
        NEWEST: ("-approved_at", "-id"),
        PRICE_ASC: ("price", "-id"),
        PRICE_DESC: ("-price", "-id"),
        RELEVANCE: ("-rank", "-approved_at", "-id"),
        RATING: (F("rating_avg").desc(nulls_last=True), "-rating_count", "-id"),
    }


class Availability:
    READY = "ready"
    MADE_TO_ORDER = "order"
    CHOICES = [(READY, _("Stok siap")), (MADE_TO_ORDER, _("Dibuat sesuai pesanan"))]


class RupiahFilter(django_filters.NumberFilter):
    """Whole Rupiah: an integer field (no decimals, no "step=any" on phones)."""

    field_class = forms.IntegerField


class CatalogFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "price_max",
                _("Harga maksimum harus sama dengan atau lebih besar dari harga minimum."),
            )
        return cleaned


class ProductFilter(django_filters.FilterSet):
    """Filters of the catalog, category and facility pages.

    `q`, `sort` and `per_page` live in the same form so one GET carries the
    whole state; the selector reads them from `cleaned_data` and applies
    search and ordering itself (search may fall back to another method).
    Pass `without=("facility", ...)` to drop filters a page has fixed.
    """

    q = django_filters.CharFilter(label=_("Kata kunci"), method="_carried", max_length=100)
    category = django_filters.ChoiceFilter(
        label=_("Kategori"),
        method="_by_category",
        empty_label=_("Semua kategori"),
        widget=FastSelect,
    )
    facility = django_filters.ChoiceFilter(
        label=_("UPT"), field_name="facility__slug", empty_label=_("Semua UPT"), widget=FastSelect
    )
    province = django_filters.ChoiceFilter(
        label=_("Provinsi"),
        field_name="facility__province",
        empty_label=_("Semua provinsi"),
        widget=FastSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Jenis UPT"),
        field_name="facility__kind",
        choices=Facility.Kind.choices,
        empty_label=_("Semua jenis"),
        widget=FastSelect,
    )
    womens = django_filters.BooleanFilter(
        label=_("UPT perempuan"), method="_womens_only", widget=forms.CheckboxInput
    )
    price_min = RupiahFilter(
        label=_("Harga dari (Rp)"), field_name="price", lookup_expr="gte", min_value=0
    )
    price_max = RupiahFilter(
        label=_("sampai (Rp)"), field_name="price", lookup_expr="lte", min_value=0
    )
    availability = django_filters.ChoiceFilter(
        label=_("Ketersediaan"),
        choices=Availability.CHOICES,
        method="_by_availability",
        empty_label=_("Semua"),
        widget=FastSelect,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Urutkan"),
        choices=Sort.CHOICES,
        method="_carried",
        empty_label=None,
        widget=FastSelect,
    )
    per_page = django_filters.ChoiceFilter(
        label=_("Per halaman"),
        choices=[(str(n), str(n)) for n in PER_PAGE_CHOICES],
        method="_carried",
        empty_label=None,
        widget=FastSelect,
    )

    class Meta:
        model = Product
        fields: list[str] = []
        form = CatalogFilterForm

    def __init__(self, data=None, *args, without: tuple[str, ...] = (), **kwargs):
        super().__init__(data, *args, **kwargs)
        for name in without:
            self.filters.pop(name, None)
        # Choices are callables so the lists are read only when the form is
        # built, and at most once per request (memoised below).
        if "category" in self.filters:
            self.filters["category"].extra["choices"] = lambda: self.category_choices
        # The choice lists are derived once per generation in each process
        # (cached_public_data), not on every page: form validation walks
        # them several times per request (500 facilities).
        if "facility" in self.filters:
            self.filters["facility"].extra["choices"] = lambda: cached_public_data(
                "filter-facility-choices", lambda: [(f.slug, f.name) for f in self.facilities]
            )
        if "province" in self.filters:
            self.filters["province"].extra["choices"] = lambda: cached_public_data(
                "filter-province-choices",
                lambda: [(p, p) for p in sorted({f.province for f in self.facilities})],
            )

    @property
    def form(self):
        form = super().form
        if "facility" in form.fields and not getattr(form, "_facility_narrowed", False):
            # Every active facility stays a valid choice, but the select only
            # lists those of the chosen province (and the chosen facility):
            # five hundred options would weigh ~40 KB on every catalog page
            # and are no way to choose on a phone.
            province = self.data.get("province") or ""
            chosen = self.data.get("facility") or ""
            form.fields["facility"].widget.choices = [
                ("", _("Semua UPT")),
                *(
                    (f.slug, f.name)
                    for f in self.facilities
                    if (province and f.province == province) or f.slug == chosen
                ),
            ]
            form._facility_narrowed = True
        return form

    @property
    def facility_needs_province(self) -> bool:
        """True when the UPT select is empty until a province is chosen."""
        return (
            "facility" in self.filters
            and not self.data.get("province")
            and not self.data.get("facility")
        )

    # Both lists are the same for every visitor and change rarely: read from
    # the cache (until a catalog or facility row changes) rather than building
    # 500 facility rows for every page. Categories carry their names in both
    # languages, so one list serves both.
    @cached_property
    def categories(self) -> list[Category]:
        return cached_public_data(
            "filter-categories", lambda: list(Category.objects.order_by("position", "name_id"))
        )

    @cached_property
    def facilities(self) -> list[FacilityChoice]:
        return cached_public_data(
            "filter-facilities",
            lambda: [
                FacilityChoice(*row)
                for row in Facility.objects.filter(is_active=True)
                .order_by("name")
                .values_list("slug", "name", "province")
            ],
        )

    @property
    def category_choices(self) -> list[tuple[str, str]]:
        """Top-level categories, each followed by its children (indented);
        in the current language (a category's name is)."""
        return cached_public_data(
            f"filter-category-choices:{get_language()}", self._build_category_choices
        )

    def _build_category_choices(self) -> list[tuple[str, str]]:
        children: dict[int, list[Category]] = {}
        for category in self.categories:
            if category.parent_id:
                children.setdefault(category.parent_id, []).append(category)
        choices = []
        for category in self.categories:
            if category.parent_id is None:
                choices.append((category.slug, category.name))
                choices += [(c.slug, f"— {c.name}") for c in children.get(category.pk, [])]
        return choices

    def _carried(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # Not a filter: carried in the form and applied by the selector.
        return queryset

    def _by_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A top-level category includes its children's products. The ids come
        # from the list the choices were built from, and `IN (ids)` uses the
        # (category, status) index where an OR across a join would not.
        chosen = {c.pk for c in self.categories if c.slug == value}
        ids = chosen | {c.pk for c in self.categories if c.parent_id in chosen}
        return queryset.filter(category_id__in=ids)

    def _womens_only(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # An unticked box means "all facilities", not "men's facilities only".
        return queryset.filter(facility__is_womens=True) if value else queryset

    def _by_availability(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == Availability.READY:
            return queryset.filter(made_to_order=False, stock__gte=F("min_order_quantity"))
        return queryset.filter(made_to_order=True)

    @property
    def cleaned(self) -> dict:
        """The valid part of the input (invalid fields are left out and shown
        with their message)."""
        self.is_valid()
        return getattr(self.form, "cleaned_data", {})

    @property
    def fragment_key(self) -> str:
        """What the rendered filter form depends on, for the template's
        fragment cache: the submitted values of this page's filters and the
        catalog's generation (the choices). Pages of one search share it, as
        do URLs that differ only in parameters the form ignores."""
        values = sorted((name, self.data.getlist(name)) for name in self.filters)
        digest = hashlib.sha256(repr(values).encode()).hexdigest()
        return f"{public_generation()}:{digest}"

    @property
    def active_filter_count(self) -> int:
        skip = {"q", "sort", "per_page"}
        return sum(
            1
            for name, value in self.cleaned.items()
            if name not in skip and value not in (None, "", False)
        )
