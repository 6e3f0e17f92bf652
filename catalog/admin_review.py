"""The Kanwil review: the decision form, the review page (one listing or a
bulk selection) shared by the product admin and the review queue, and the
queue itself. Decisions go through catalog.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from catalog import services
from catalog.admin_photos import ProductColumnsMixin
from catalog.admin_workflow import changes_since_last_decision
from catalog.models import ListingReview, Product, ProductImage, ReviewQueueItem
from core.admin_inlines import ReadOnlyAdminMixin
from facilities.admin_scoping import FacilityScopedModelAdmin


class ReviewForm(forms.Form):
    DECISIONS = [
        ("approve", gettext_lazy("Setujui")),
        ("request_changes", gettext_lazy("Kembalikan untuk diperbaiki")),
        ("reject", gettext_lazy("Tolak")),
    ]
    decision = forms.ChoiceField(
        label=gettext_lazy("keputusan"), choices=DECISIONS, widget=forms.RadioSelect
    )
    checklist = forms.MultipleChoiceField(
        label=gettext_lazy("daftar periksa"),
        choices=[(key, label) for key, label in services.CHECKLIST.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("catatan untuk petugas UPT"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        required=False,
        help_text=gettext_lazy("Wajib bila dikembalikan atau ditolak."),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") in ("request_changes", "reject")
            and not (cleaned.get("note") or "").strip()
        ):
            self.add_error("note", _("Tulis catatan untuk petugas UPT."))
        return cleaned

    def apply(self, product: Product, actor) -> ListingReview:
        """Call the service for the chosen decision; raises services.ListingError."""
        data = self.cleaned_data
        checklist = {key: key in data["checklist"] for key in services.CHECKLIST}
        service = {
            "approve": services.listing_approve,
            "request_changes": services.listing_request_changes,
            "reject": services.listing_reject,
        }[data["decision"]]
        return service(product=product, actor=actor, note=data["note"], checklist=checklist)


class ReviewingAdminMixin:
    """The review decision (single and bulk), shared by the product admin and the queue."""

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("catalog.review_product")

    def _render_review(self, request, products, form, *, bulk: bool):
        product = products[0] if len(products) == 1 else None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Tinjau listing"),
            "opts": self.model._meta,
            "products": products,
            "product": product,
            "form": form,
            "bulk": bulk,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "history": (
                product.reviews.select_related("actor").order_by("-created_at", "-id")
                if product
                else []
            ),
            "food_keys": [p.pk for p in products if p.is_food],
            "changes": changes_since_last_decision(product) if product else None,
            "decisions": ReviewForm.DECISIONS,
        }
        return TemplateResponse(request, "admin/catalog/product/review.html", context)

    def _review_queryset(self, request):
        # get_queryset already prefetches the photos in order.
        return self.get_queryset(request).select_related("facility", "category", "category__parent")

    def _apply_review(self, request, form, products) -> int:
        done = 0
        for product in products:
            try:
                form.apply(product, request.user)
                done += 1
            except services.ListingError as exc:
                self.message_user(request, f"{product.name}: {exc}", messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext("%(n)d listing ditinjau.", "%(n)d listing ditinjau.", done) % {"n": done},
                messages.SUCCESS,
            )
        return done

    @admin.action(description=gettext_lazy("Tinjau listing terpilih"), permissions=["review"])
    def review_selected(self, request, queryset):
        products = list(
            self._review_queryset(request)
            .filter(pk__in=queryset.values("pk"))
            .order_by("submitted_at", "id")
        )
        if "apply" in request.POST:
            form = ReviewForm(request.POST)
            if form.is_valid():
                self._apply_review(request, form, products)
                return None
        else:
            form = ReviewForm()
        return self._render_review(request, products, form, bulk=True)

    def review_view(self, request, object_id):
        if not self.has_review_permission(request):
            raise PermissionDenied
        product = self._review_queryset(request).filter(pk=object_id).first()
        if product is None:
            raise Http404
        if request.method == "POST":
            form = ReviewForm(request.POST)
            if form.is_valid() and self._apply_review(request, form, [product]):
                return HttpResponseRedirect(reverse("admin:catalog_reviewqueueitem_changelist"))
        else:
            form = ReviewForm()
        return self._render_review(request, [product], form, bulk=False)


@admin.register(ReviewQueueItem)
class ReviewQueueAdmin(
    ReadOnlyAdminMixin, ProductColumnsMixin, ReviewingAdminMixin, FacilityScopedModelAdmin
):
    """Pending listings of the reviewer's region, the longest-waiting first."""

    class Media:
        css = {"all": ["css/admin_pages.css"]}  # thumbnails

    list_display = ["cover", "review_link", "facility", "category", "price_display", "age"]
    list_display_links = None
    list_filter = ["category", ("facility", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "facility__name"]
    list_select_related = ["facility", "category"]
    ordering = ["submitted_at", "id"]
    actions = ["review_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .review_queue()
            .prefetch_related(
                Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
            )
        )

    def has_module_permission(self, request):
        return self.has_review_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.has_review_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The queue's row page is the review form.
        return self.review_view(request, object_id)

    @admin.display(description=gettext_lazy("produk"), ordering="name")
    def review_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:catalog_product_review", args=[obj.pk]), obj.name
        )

    @admin.display(description=gettext_lazy("menunggu"), ordering="submitted_at")
    def age(self, obj):
        if not obj.submitted_at:
            return "—"
        return _("%(age)s") % {"age": timesince(obj.submitted_at, timezone.now(), depth=1)}
