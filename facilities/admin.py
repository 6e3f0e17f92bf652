from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from facilities.forms import FacilityAdminForm
from facilities.models import BankAccount, Facility, ProceedsShare, Region
from facilities.scoping import scope_for
from facilities.services import facility_origin_set


class BankAccountInline(admin.TabularInline):
    model = BankAccount
    extra = 0


class ProceedsShareFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        total = Decimal(0)
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            total += form.cleaned_data.get("percent") or 0
        if total > 100:
            raise forms.ValidationError(
                _("Jumlah persentase pembagian hasil %(total)s%% melebihi 100%%.")
                % {"total": total}
            )


class ProceedsShareInline(admin.TabularInline):
    model = ProceedsShare
    formset = ProceedsShareFormSet
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "province"]
    search_fields = ["name", "province"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return scope_for(request.user).regions()


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    form = FacilityAdminForm
    list_display = ["name", "kind", "facility_class", "city", "province", "region", "is_active"]
    list_filter = ["kind", "is_womens", "is_active", "region"]
    search_fields = ["name", "city", "province"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BankAccountInline, ProceedsShareInline]
    list_select_related = ["region"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(scope_for(request.user).facility_q())

    # Follow from the origin village (facility_origin_set), never typed.
    DERIVED = ["origin_province", "origin_postal_code"]

    def get_readonly_fields(self, request, obj=None):
        # Only head office changes where a facility sits and whether it sells.
        if scope_for(request.user).is_national:
            return list(self.DERIVED)
        return ["region", "kind", "facility_class", "is_womens", "slug", "is_active", "name"] + (
            self.DERIVED
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if {"origin_district", "origin_village"} & set(form.changed_data):
            # Province code and postal code follow the village chosen.
            facility_origin_set(
                facility=obj,
                village_code=obj.origin_village_id or "",
                district_code=obj.origin_district_id or "",
            )

    def get_prepopulated_fields(self, request, obj=None):
        # The slug is read-only for staff and reviewers; prepopulating a field
        # the form does not have crashes the change page.
        if scope_for(request.user).is_national:
            return super().get_prepopulated_fields(request, obj)
        return {}


# Staff accounts (with their Membership) are managed on their own screen, and
# Django's user and group admins are closed to all but superusers there.
from facilities import admin_accounts  # noqa: E402, F401
