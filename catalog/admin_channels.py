"""Partner outlets and exhibitions in the admin, with the products each
carries or shows. Registered from catalog.admin (the product links live in
catalog, which may import facilities, not the other way round).

Plain records without a state machine, so the admin saves them directly, as
it does bank accounts and shipping rates; scoping comes from the mixin.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy

from catalog.models import ExhibitionProduct, OutletProduct
from facilities.admin_scoping import FacilityScopedAdminMixin, FacilityScopedModelAdmin
from facilities.models import Exhibition, Facility, PartnerOutlet
from facilities.scoping import scope_for


class OutletProductInline(FacilityScopedAdminMixin, admin.TabularInline):
    model = OutletProduct
    facility_path = "outlet__facility"
    fields = ["product"]
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
    ]
    list_filter = [AgreementFilter, "kind", "facility"]
    list_select_related = ["facility"]
    search_fields = ["name", "city", "agreement_number"]
    inlines = [OutletProductInline]

    @admin.display(description=gettext_lazy("berlaku"), boolean=True)
    def in_force(self, outlet):
        today = timezone.localdate()
        return (
            outlet.is_active
            and outlet.agreement_start <= today
            and (outlet.agreement_end is None or outlet.agreement_end >= today)
        )


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
