"""The storefront's filter form: every choice lives in the URL's query string,
so a filtered, sorted, searched page can be shared and bookmarked."""

import copy
import hashlib
from typing import NamedTuple

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.http import QueryDict
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


# Both lists are the same for every visitor and change rarely: read from the
# cache (until a catalog or facility row changes) rather than building 500
# facility rows for every page. Categories carry their names in both
# languages, so one list serves both. Module functions, not FilterSet
# methods, so the form class built from the filters can be shared
# (ProductFilter.get_form_class).
def _categories() -> list[Category]:
    return cached_public_data(
        "filter-categories", lambda: list(Category.objects.order_by("position", "name_id"))
    )


def _facilities() -> list[FacilityChoice]:
    return cached_public_data(
        "filter-facilities",
        lambda: [
            FacilityChoice(*row)
            for row in Facility.objects.filter(is_active=True)
            .order_by("name")
            .values_list("slug", "name", "province")
        ],
    )


def _build_category_choices() -> list[tuple[str, str]]:
    categories = _categories()
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    choices = []
    for category in categories:
        if category.parent_id is None:
            choices.append((category.slug, category.name))
            choices += [(c.slug, f"— {c.name}") for c in children.get(category.pk, [])]
    return choices


def category_choices() -> list[tuple[str, str]]:
    """Top-level categories, each followed by its children (indented); in the
    current language (a category's name is)."""
    return cached_public_data(f"filter-category-choices:{get_language()}", _build_category_choices)


def facility_choices() -> list[tuple[str, str]]:
    return cached_public_data(
        "filter-facility-choices", lambda: [(f.slug, f.name) for f in _facilities()]
    )


def province_choices() -> list[tuple[str, str]]:
    return cached_public_data(
        "filter-province-choices",
        lambda: [(p, p) for p in sorted({f.province for f in _facilities()})],
    )


# Form classes by the names of their filters (a page drops those it fixes):
# their fields hold no per-request state (labels are lazy, choices callables
# read the cached lists), and each form instance copies them, as a plain
# Django form does. Building the class and its eleven fields took ~1 ms of
# every built listing page.
_FORM_CLASSES: dict[tuple[str, ...], type] = {}


class ProductFilter(django_filters.FilterSet):
    """Filters of the catalog, category and facility pages.

    `q`, `sort` and `per_page` live in the same form so one GET carries the
    whole state; the selector reads them from `cleaned_data` and applies
    search and ordering itself (search may fall back to another method).
    Pass `without=("facility", ...)` to drop filters a page has fixed.
    """

    # The categories the category filter kept (a top-level one and its
    # children); empty when it is not used.
    category_ids: frozenset[int] | set[int] = frozenset()

    q = django_filters.CharFilter(label=_("Kata kunci"), method="_carried", max_length=100)
    category = django_filters.ChoiceFilter(
        label=_("Kategori"),
        choices=category_choices,
        method="_by_category",
        empty_label=_("Semua kategori"),
        widget=FastSelect,
    )
    facility = django_filters.ChoiceFilter(
        label=_("UPT"),
        field_name="facility__slug",
        choices=facility_choices,
        empty_label=_("Semua UPT"),
        widget=FastSelect,
    )
    province = django_filters.ChoiceFilter(
        label=_("Provinsi"),
        field_name="facility__province",
        choices=province_choices,
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

    def __init__(self, data=None, queryset=None, *, without: tuple[str, ...] = (), **kwargs):
        # django-filter deep-copies every declared filter for each instance
        # (~500 deepcopy calls a page); a shallow copy of each filter this
        # page keeps is enough: a filter's only mutable state is `extra`
        # (copied) and its parent (set below), and its method is bound again
        # to the copy.
        # What BaseFilterSet.__init__ does, but for the deep copy.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = kwargs.pop("request", None)
        self.form_prefix = kwargs.pop("prefix", None)
        if kwargs:
            raise TypeError(f"Unexpected arguments: {', '.join(kwargs)}")
        kept = {n: f for n, f in self.base_filters.items() if n not in without}
        model = self.queryset.model
        self.filters = {}
        for name, base in kept.items():
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)
            if base.method is not None:
                filter_.method = base.method  # a FilterMethod of the copy, not of base
            filter_.model = model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        names = tuple(self.filters)
        form_class = _FORM_CLASSES.get(names)
        if form_class is None:
            form_class = _FORM_CLASSES[names] = super().get_form_class()
        return form_class

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

    @property
    def categories(self) -> list[Category]:
        return _categories()

    @property
    def facilities(self) -> list[FacilityChoice]:
        return _facilities()

    @property
    def category_choices(self) -> list[tuple[str, str]]:
        return category_choices()

    def _carried(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # Not a filter: carried in the form and applied by the selector.
        return queryset

    def _by_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A top-level category includes its children's products. The ids come
        # from the list the choices were built from, and `IN (ids)` uses the
        # (category, status) index where an OR across a join would not.
        chosen = {c.pk for c in self.categories if c.slug == value}
        ids = chosen | {c.pk for c in self.categories if c.parent_id in chosen}
        # Several: the listing is read per category (catalog.category_merge).
        self.category_ids = ids
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
