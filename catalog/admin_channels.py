"""Partner outlets and exhibitions in the admin, with the products each
carries or shows. Registered from catalog.admin (the product links live in
catalog, which may import facilities, not the other way round).

Plain records without a state machine, so the admin saves them directly, as
it does bank accounts and shipping rates; scoping comes from the mixin.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Sum
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy

from catalog import services
from catalog.models import ConsignmentMovement, ExhibitionProduct, OutletProduct
from facilities.admin_scoping import FacilityScopedAdminMixin, FacilityScopedModelAdmin
from facilities.models import Exhibition, Facility, PartnerOutlet
from facilities.scoping import scope_for


class OutletProductInline(FacilityScopedAdminMixin, admin.TabularInline):
    model = OutletProduct
    facility_path = "outlet__facility"
    fields = ["product", "on_hand", "sold"]
    # Consignment counts change only through the movements (catalog.services).
    readonly_fields = ["on_hand", "sold"]
    autocomplete_fields = ["product"]
    extra = 1


class AgreementFilter(admin.SimpleListFilter):
    title = gettext_lazy("perjanjian")
    parameter_name = "perjanjian"

    def lookups(self, request, model_admin):
        return [("berlaku", gettext_lazy("Berlaku")), ("berakhir", gettext_lazy("Berakhir"))]

    def queryset(self, request, queryset):
        current = PartnerOutlet.objects.current()
        if self.value() == "berlaku":
            return queryset.filter(pk__in=current.values("pk"))
        if self.value() == "berakhir":
            return queryset.exclude(pk__in=current.values("pk"))
        return queryset


@admin.register(PartnerOutlet)
class PartnerOutletAdmin(FacilityScopedModelAdmin):
    list_display = [
        "name",
        "kind",
        "city",
        "facility",
        "agreement_number",
        "agreement_start",
        "agreement_end",
        "in_force",
        "held",
        "sold",
    ]
    list_filter = [AgreementFilter, "kind", "facility"]
    list_select_related = ["facility"]
    search_fields = ["name", "city", "agreement_number"]
    inlines = [OutletProductInline]

    def get_queryset(self, request):
        # Consignment totals per outlet, summed in the list's one query.
        return (
            super()
            .get_queryset(request)
            .annotate(
                held_total=Sum("products_carried__on_hand"),
                sold_total=Sum("products_carried__sold"),
            )
        )

    @admin.display(description=gettext_lazy("titipan dipegang"), ordering="held_total")
    def held(self, outlet):
        return outlet.held_total or 0

    @admin.display(description=gettext_lazy("titipan terjual"), ordering="sold_total")
    def sold(self, outlet):
        return outlet.sold_total or 0

    @admin.display(description=gettext_lazy("berlaku"), boolean=True)
    def in_force(self, outlet):
        return outlet.in_force()


class ExhibitionProductInline(FacilityScopedAdminMixin, admin.TabularInline):
    model = ExhibitionProduct
    facility_path = "exhibition__facility"
    fields = ["product"]
    autocomplete_fields = ["product"]
    extra = 1


@admin.register(Exhibition)
class ExhibitionAdmin(FacilityScopedModelAdmin):
    list_display = ["title", "city", "province", "starts_on", "ends_on", "facility", "is_published"]
    list_filter = ["province", "is_published", "facility"]
    list_select_related = ["facility"]
    search_fields = ["title", "place", "city"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["participants"]
    inlines = [ExhibitionProductInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "participants":
            scope = scope_for(request.user)
            if scope.is_facility_staff:
                # Staff invite facilities of their own region to a bazaar.
                kwargs["queryset"] = Facility.objects.filter(
                    region__facilities=scope.facility_id
                ).distinct()
            else:
                kwargs["queryset"] = scope.facilities()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ConsignmentMovementForm(forms.ModelForm):
    """Validates against the services' own rules (catalog.services.
    consignment_problem), so a short stock or holding shows as a form error;
    the admin's save_model writes through the service."""

    class Meta:
        model = ConsignmentMovement
        fields = ["link", "kind", "quantity", "unit_price", "occurred_on", "note"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        data = super().clean()
        if self.errors or self.instance.pk:
            return data
        problem = services.consignment_problem(
            kind=data["kind"], link=data["link"], quantity=data["quantity"], actor=self.actor
        )
        if problem:
            raise forms.ValidationError(problem)
        return data


@admin.register(ConsignmentMovement)
class ConsignmentMovementAdmin(FacilityScopedModelAdmin):
    """Consignment history; a new row hands goods over, records a sale reported
    by the outlet, or takes goods back, each through its service."""

    form = ConsignmentMovementForm
    facility_path = "link__outlet__facility"
    list_display = ["occurred_on", "kind", "quantity", "product", "outlet", "unit_price", "actor"]
    list_filter = ["kind", "occurred_on"]
    list_select_related = ["link__product", "link__outlet", "actor"]
    search_fields = ["link__product__name", "link__outlet__name"]
    date_hierarchy = "occurred_on"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class WithActor(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, actor=request.user, **inner)

        return WithActor

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "link":
            kwargs["queryset"] = scope_for(request.user).filter_facility_rows(
                OutletProduct.objects.select_related("product", "outlet"), "outlet__facility"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["link", "kind", "quantity", "unit_price", "occurred_on", "note", "actor"]
        return []

    def has_change_permission(self, request, obj=None):
        return False  # history is not edited; a correction is a new movement

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The row is written by the service (under its locks), never by the form.
        movement = services.consignment_record(
            kind=obj.kind,
            link=obj.link,
            quantity=obj.quantity,
            actor=request.user,
            unit_price=obj.unit_price,
            occurred_on=obj.occurred_on,
            note=obj.note,
        )
        obj.pk = movement.pk
        obj.actor = movement.actor
        obj.unit_price = movement.unit_price
        obj.created_at = movement.created_at

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.ConsignmentError as error:
            # The stock moved between validating and saving (another movement
            # or a checkout took it): nothing was written; say why, start again.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)

    @admin.display(description=gettext_lazy("produk"))
    def product(self, movement):
        return movement.link.product

    @admin.display(description=gettext_lazy("mitra"))
    def outlet(self, movement):
        return movement.link.outlet
