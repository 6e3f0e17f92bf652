"""Delivery settings and shipping rates, per facility; courier bookings."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_inlines import ReadOnlyAdminMixin
from facilities.admin_scoping import FacilityScopedModelAdmin
from facilities.scoping import scope_for
from orders.delivery import bookings as courier_bookings
from orders.delivery.fees import PROVINCES
from orders.delivery.models import CourierBooking
from orders.models import DeliverySettings, ShippingRate


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


@admin.register(CourierBooking)
class CourierBookingAdmin(ReadOnlyAdminMixin, FacilityScopedModelAdmin):
    """Each request to the aggregator to book a courier, with its outcome and
    its cancel: the rows are written by orders.delivery.bookings only; staff
    see what needs them (a booking in review, a cancel that failed) and may
    ask again."""

    facility_path = "shipment__order__facility"
    list_display = (
        "reference",
        "order_code",
        "status",
        "provider_order_id",
        "attempts",
        "cancel_state",
        "cancel_error",
        "created_at",
    )
    list_filter = ("status", "cancel_state")
    list_select_related = ("shipment__order",)
    search_fields = ("reference", "provider_order_id", "shipment__order__code")
    readonly_fields = [f.name for f in CourierBooking._meta.fields]
    actions = ["check_again", "cancel_again", "not_created"]

    @admin.display(description=gettext_lazy("pesanan"))
    def order_code(self, obj):
        return obj.shipment.order.code

    def _actionable(self, request, queryset):
        scope = scope_for(request.user)
        return [
            b
            for b in queryset.select_related("shipment__order")
            if scope.may_act_for(b.shipment.order.facility_id)
        ]

    @admin.action(description=gettext_lazy("Pastikan lagi ke agregator"))
    def check_again(self, request, queryset):
        done = [courier_bookings.booking_attempt(b.pk) for b in self._actionable(request, queryset)]
        self.message_user(request, _("%(n)s pemesanan dicek.") % {"n": len(done)})

    @admin.action(description=gettext_lazy("Kirim ulang pembatalan ke agregator"))
    def cancel_again(self, request, queryset):
        results = [
            courier_bookings.booking_cancel_send(b.pk)
            for b in self._actionable(request, queryset)
            if b.cancel_state in (CourierBooking.Cancel.PENDING, CourierBooking.Cancel.FAILED)
        ]
        failed = [r for r in results if r.cancel_state == CourierBooking.Cancel.FAILED]
        level = messages.WARNING if failed else messages.SUCCESS
        self.message_user(
            request,
            _("%(n)s pembatalan dikirim, %(f)s gagal.") % {"n": len(results), "f": len(failed)},
            level,
        )

    @admin.action(description=gettext_lazy("Tandai tidak ada di agregator (sudah dicek di dasbor)"))
    def not_created(self, request, queryset):
        marked = sum(
            courier_bookings.booking_mark_not_created(booking_id=b.pk)
            for b in self._actionable(request, queryset)
        )
        self.message_user(request, _("%(n)s pemesanan ditandai tidak dibuat.") % {"n": marked})
