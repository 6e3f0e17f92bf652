"""The admin as the staff's workplace: products (here), photos
(catalog.admin_photos), the review queue (catalog.admin_review), partner
outlets and exhibitions (catalog.admin_channels).

Facility staff see and change only their facility's rows (the facility is set
from their membership); reviewers see their region read-only and decide in the
review queue; head office sees everything. Every write goes through
catalog.services, so the admin cannot move a status by hand.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import pricing, services
from catalog import stock as stock_rules
from catalog.admin_labels import LabelPrintingMixin
from catalog.admin_photos import ProductColumnsMixin, ProductImageAdmin, ProductImageInline
from catalog.admin_review import ReviewingAdminMixin
from catalog.admin_stock import StockFieldMixin, stock_change
from catalog.admin_workflow import ListingWorkflowMixin
from catalog.models import (
    Category,
    ListingReview,
    ListingStatus,
    PriceTier,
    Product,
    ProductImage,
)
from core.admin_inlines import ReadOnlyInline
from facilities.admin_scoping import FacilityScopedAdminMixin, FacilityScopedModelAdmin
from facilities.scoping import scope_for


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_id", "name_en", "parent", "position"]
    list_filter = ["parent"]
    search_fields = ["name_id", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    list_select_related = ["parent"]


class PriceTierFormSet(forms.BaseInlineFormSet):
    """Tiers checked together: ascending quantities, none twice, each cheaper
    than the band below it (catalog.pricing.tiers_problem)."""

    def clean(self):
        super().clean()
        tiers = []
        for tier_form in self.forms:
            data = getattr(tier_form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            if data.get("min_quantity") and data.get("unit_price"):
                tiers.append((data["min_quantity"], data["unit_price"]))
        base = getattr(self.instance, "price", None)
        problem = pricing.tiers_problem(base_price=base, tiers=tiers)
        if problem:
            raise forms.ValidationError(problem)


class PriceTierInline(FacilityScopedAdminMixin, admin.TabularInline):
    """Quantity prices; like price and stock they never send a listing back
    to review (catalog.services.REVIEWED_FIELDS)."""

    model = PriceTier
    formset = PriceTierFormSet
    facility_path = "product__facility"
    extra = 1
    fields = ["min_quantity", "unit_price"]


class ListingReviewInline(ReadOnlyInline):
    """The listing's history, read-only: every step with who, when and why."""

    model = ListingReview
    fields = ["created_at", "action", "actor", "from_status", "to_status", "note", "checklist_done"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]
    verbose_name_plural = gettext_lazy("riwayat tinjauan")
    related = ("actor",)

    @admin.display(description=gettext_lazy("daftar periksa"))
    def checklist_done(self, obj):
        done = [
            str(services.CHECKLIST[k])
            for k, v in obj.checklist.items()
            if v and k in services.CHECKLIST
        ]
        return "; ".join(done) or "—"


class StockFilter(admin.SimpleListFilter):
    title = gettext_lazy("stok")
    parameter_name = "stok"

    def lookups(self, request, model_admin):
        return [
            ("habis", _("Habis")),
            ("menipis", _("Menipis (≤ %(n)s)") % {"n": stock_rules.LOW_STOCK_AT}),
            ("tersedia", _("Tersedia")),
            ("pesanan", _("Dibuat sesuai pesanan")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "pesanan":
            return queryset.filter(made_to_order=True)
        ready = queryset.filter(made_to_order=False)
        if value == "habis":
            return ready.filter(stock=0)
        if value == "menipis":
            return ready.filter(stock_rules.low_stock_q())
        if value == "tersedia":
            return ready.filter(stock__gt=0).exclude(stock_rules.low_stock_q())
        return queryset


@admin.register(Product)
class ProductAdmin(
    LabelPrintingMixin,
    StockFieldMixin,
    ListingWorkflowMixin,
    ProductColumnsMixin,
    ReviewingAdminMixin,
    FacilityScopedModelAdmin,
):
    class Media:
        css = {"all": ["css/admin_pages.css"]}  # thumbnails, low stock, re-review note

    list_display = [
        "cover",
        "name",
        "facility",
        "category",
        "price_display",
        "stock_display",
        "status",
        "updated_at",
    ]
    list_display_links = ["name"]
    # RelatedOnly: the facility filter lists only facilities the user can see.
    list_filter = [
        "status",
        "category",
        StockFilter,
        ("facility", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "slug", "facility__name"]
    list_select_related = ["facility", "category"]
    autocomplete_fields = ["facility"]
    inlines = [ProductImageInline, PriceTierInline, ListingReviewInline]
    actions = ["submit_for_review", "review_selected", "archive_selected", "print_labels"]
    list_per_page = 50
    date_hierarchy = None

    CONTENT_FIELDSET = (
        None,
        {"fields": ["facility", "category", "name", "description"]},
    )

    def get_fieldsets(self, request, obj=None):
        content = dict(self.CONTENT_FIELDSET[1])
        content["fields"] = list(content["fields"])
        if scope_for(request.user).is_facility_staff:
            content["fields"].remove("facility")
        if obj is not None and obj.status == ListingStatus.APPROVED:
            content["description"] = self.rereview_warning
        return [
            (None, content),
            (
                _("Harga dan stok"),
                {
                    "fields": [
                        ("price", "unit"),
                        "min_order_quantity",
                        "stock",
                        ("made_to_order", "lead_time_days"),
                    ],
                    "description": self._stock_description(obj),
                },
            ),
            (
                _("Pengiriman"),
                {"fields": ["weight_grams", ("length_cm", "width_cm", "height_cm"), "local_only"]},
            ),
            (
                _("Makanan"),
                {
                    "fields": [
                        "food_registration",
                        "halal_certificate",
                        "shelf_life_days",
                        "composition",
                        "net_content",
                    ],
                    "classes": ["collapse"],
                },
            ),
            (
                _("Penayangan"),
                {
                    "fields": [
                        "status",
                        "slug",
                        "submitted_at",
                        "approved_at",
                        "is_featured",
                    ]
                },
            ),
        ]

    @property
    def rereview_warning(self) -> str:
        # Named from services.REVIEWED_FIELDS, so the warning lists exactly
        # what product_update sends back to review.
        fields = [
            str(Product._meta.get_field(name).verbose_name) for name in services.REVIEWED_FIELDS
        ]
        return _(
            "Listing ini sedang tayang. Mengubah %(fields)s, atau foto akan mengembalikannya "
            "ke antrean tinjauan Kanwil sampai disetujui lagi; perubahan harga dan stok tidak."
        ) % {"fields": ", ".join(fields)}

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status", "slug", "submitted_at", "approved_at"]
        if not scope_for(request.user).is_national:
            readonly.append("is_featured")
        if obj is not None:
            # Where a listing is sold from never changes after creation.
            readonly.append("facility")
        return readonly

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
            )
        )

    def has_add_permission(self, request):
        # A product always belongs to one facility: only its staff create it.
        return scope_for(request.user).is_facility_staff and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        # Reviewers decide; they never edit what the facility wrote.
        if scope_for(request.user).is_reviewer:
            return False
        return super().has_change_permission(request, obj)

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="catalog_product_review",
            )
        ]
        return urls + super().get_urls()

    # --- list columns -------------------------------------------------------

    @staticmethod
    def _stock_description(obj) -> str:
        """The price-and-stock section's note; with units held in shoppers'
        carts, how many: they are on the shelf but no longer in "stok siap"
        (catalog/stock_holds.py), so a count of the shelf should leave them out."""
        note = _("Perubahan harga dan stok tidak perlu ditinjau ulang.")
        held = sum(obj.holds.values_list("quantity", flat=True)) if obj is not None else 0
        if held:
            note += " " + _(
                "%(n)s unit sedang disimpan di keranjang pembeli (belum dipesan) dan tidak "
                "termasuk stok siap; saat menghitung stok di rak, kurangi jumlah ini."
            ) % {"n": held}
        return note

    @admin.display(description=gettext_lazy("stok"), ordering="stock")
    def stock_display(self, obj):
        if obj.made_to_order:
            return _("sesuai pesanan (%(d)s hari)") % {"d": obj.lead_time_days or "?"}
        if obj.stock == 0 or stock_rules.is_low(obj):
            return format_html(
                '<strong class="low-stock" title="{}">⚠ {}</strong>',
                _("Stok menipis"),
                obj.stock,
            )
        return obj.stock

    # --- saving through services ------------------------------------------

    def save_model(self, request, obj, form, change):
        editable = services.EDITABLE_FIELDS
        if change:
            fields = {
                name: form.cleaned_data[name] for name in form.changed_data if name in editable
            }
            fields |= stock_change(form)
            before = Product.objects.only("status").get(pk=obj.pk).status
            services.product_update(product=obj, actor=request.user, **fields)
            if before == ListingStatus.APPROVED and obj.status == ListingStatus.PENDING_REVIEW:
                self.message_user(
                    request,
                    _("Isi listing berubah: listing dikembalikan ke antrean tinjauan Kanwil."),
                    messages.WARNING,
                )
            return
        facility = self.scoped_facility(request) or form.cleaned_data.get("facility")
        fields = {name: value for name, value in form.cleaned_data.items() if name in editable}
        fields["stock"] = form.cleaned_data.get("stock") or 0
        created = services.product_create(facility=facility, actor=request.user, **fields)
        obj.pk = created.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProductImage:
            return super().save_formset(request, form, formset, change)
        product = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for image_form in formset.initial_forms:
            image = image_form.instance
            if image_form in formset.deleted_forms:
                try:
                    services.product_image_delete(image=image, actor=request.user)
                except services.PhotoGoneError as error:
                    self.message_user(request, str(error), messages.WARNING)
                    continue
                formset.deleted_objects.append(image)
            elif image_form.has_changed():
                services.product_image_update(
                    image=image,
                    actor=request.user,
                    alt_text=image_form.cleaned_data.get("alt_text"),
                    position=image_form.cleaned_data.get("position"),
                )
                formset.changed_objects.append((image, image_form.changed_data))
        for image_form in formset.extra_forms:
            if not image_form.has_changed() or image_form in formset.deleted_forms:
                continue
            position = image_form.cleaned_data.get("position") or None
            image = services.product_image_add(
                product=product,
                upload=image_form.processed,
                alt_text=image_form.cleaned_data["alt_text"],
                actor=request.user,
                position=position,
            )
            formset.new_objects.append(image)
        # The product's status may have moved (photos are public content).
        product.refresh_from_db(fields=["status", "submitted_at", "updated_at"])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_queryset(request).filter(pk=object_id).only("status").first()
        if obj is not None:
            extra_context["rereview_warning"] = (
                self.rereview_warning if obj.status == ListingStatus.APPROVED else ""
            )
            extra_context["can_review"] = (
                self.has_review_permission(request) and obj.status == ListingStatus.PENDING_REVIEW
            )
            extra_context["review_url"] = reverse("admin:catalog_product_review", args=[obj.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    # --- actions -------------------------------------------------------------

    def _run(self, request, queryset, service, done_message):
        done = 0
        for product in queryset:
            try:
                service(product=product, actor=request.user)
                done += 1
            except services.ListingError as exc:
                self.message_user(request, f"{product.name}: {exc}", messages.ERROR)
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Ajukan untuk ditinjau"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run(
            request, queryset, services.listing_submit, _("%(n)d listing diajukan untuk ditinjau.")
        )

    @admin.action(
        description=gettext_lazy("Arsipkan (turunkan dari etalase)"), permissions=["change"]
    )
    def archive_selected(self, request, queryset):
        self._run(request, queryset, services.listing_archive, _("%(n)d listing diarsipkan."))


# Photos, the review queue, partner outlets and exhibitions live in modules of
# their own; importing them registers them.
from catalog import admin_channels, admin_review  # noqa: E402, F401

__all__ = ["CategoryAdmin", "ProductAdmin", "ProductImageAdmin"]  # ProductImageAdmin: old path
