"""Delivery settings and shipping rates, per facility."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from facilities.admin_scoping import FacilityScopedModelAdmin
from facilities.scoping import scope_for
from orders.models import DeliverySettings, ShippingRate
from orders.shipping import PROVINCES


class ShippingRateForm(forms.ModelForm):
    province = forms.ChoiceField(
        label=gettext_lazy("Provinsi tujuan"), choices=[(p, p) for p in PROVINCES]
    )

    class Meta:
        model = ShippingRate
        fields = ["facility", "province", "first_kg_fee", "next_kg_fee", "estimate"]


@admin.register(ShippingRate)
class ShippingRateAdmin(FacilityScopedModelAdmin):
    form = ShippingRateForm
    list_display = ["facility", "province", "first_kg_fee", "next_kg_fee", "estimate"]
    list_filter = ["facility"]
    list_select_related = ["facility"]
    search_fields = ["province"]

    def save_model(self, request, obj, form, change):
        scope = scope_for(request.user)
        facility_id = scope.facility_id if scope.is_facility_staff else obj.facility_id
        duplicate = ShippingRate.objects.filter(facility_id=facility_id, province=obj.province)
        if obj.pk:
            duplicate = duplicate.exclude(pk=obj.pk)
        if duplicate.exists():
            # The facility is not a form field for staff, so the form's unique
            # check cannot see it; update the existing row instead of failing.
            obj.pk = duplicate.values_list("pk", flat=True).first()
        super().save_model(request, obj, form, change)


@admin.register(DeliverySettings)
class DeliverySettingsAdmin(FacilityScopedModelAdmin):
    list_display = [
        "facility",
        "pickup_enabled",
        "local_delivery_enabled",
        "courier_enabled",
        "payment_deadline_hours",
    ]
    list_select_related = ["facility"]

    def has_add_permission(self, request):
        scope = scope_for(request.user)
        if (
            scope.is_facility_staff
            and DeliverySettings.objects.filter(facility_id=scope.facility_id).exists()
        ):
            return False  # one row per facility; staff edit theirs
        return super().has_add_permission(request)
