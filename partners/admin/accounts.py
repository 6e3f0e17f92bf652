"""Outlet and packaging-house logins in the admin: made by the service in
the form's validation, switched off by an action."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy

from facilities.admin_scoping import FacilityScopedModelAdmin
from facilities.scoping import scope_for
from partners import services
from partners.admin.common import scoped_outlets, with_actor
from partners.models import (
    PartnerAccount,
)


class PartnerAccountForm(forms.ModelForm):
    username = forms.CharField(label=gettext_lazy("nama pengguna"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("nama"), max_length=150, required=False)
    password = forms.CharField(label=gettext_lazy("kata sandi"), widget=forms.PasswordInput)

    class Meta:
        model = PartnerAccount
        fields = ["outlet", "packaging_house"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.instance = services.partner_account_create(
                actor=self.actor,
                username=data["username"],
                password=data["password"],
                full_name=data.get("full_name", ""),
                outlet=data.get("outlet"),
                packaging_house=data.get("packaging_house"),
            )
        except services.PartnerError as error:
            raise forms.ValidationError(str(error)) from error
        return data


@admin.register(PartnerAccount)
class PartnerAccountAdmin(FacilityScopedModelAdmin):
    """Logins of the facility's outlets (head office: and packaging houses).
    A new row is made by partners.services.partner_account_create inside the
    form's validation, so a refusal shows as a form error."""

    facility_path = "outlet__facility"
    form = PartnerAccountForm
    list_display = ["user", "outlet", "packaging_house", "active", "created_at"]
    list_select_related = ["user", "outlet", "packaging_house"]
    search_fields = ["user__username", "outlet__name", "packaging_house__name"]
    actions = ["switch_off", "switch_on"]

    # Head office's scope passes every row (house logins too); staff and the
    # Kanwil see their outlets' logins only (filter_facility_rows).

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_actor(super().get_form(request, obj, change=change, **kwargs), request)

    def get_fields(self, request, obj=None):
        if obj is not None:
            return ["user", "outlet", "packaging_house", "created_by", "created_at"]
        fields = ["outlet", "username", "full_name", "password"]
        if scope_for(request.user).is_national:
            fields.insert(1, "packaging_house")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "outlet":
            kwargs["queryset"] = scoped_outlets(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        pass  # written by the service in the form's clean()

    def save_related(self, request, form, formsets, change):
        pass

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # switched off, never deleted: reports keep their author

    @admin.display(description=gettext_lazy("aktif"), boolean=True)
    def active(self, account):
        return account.user.is_active

    def _switch(self, request, queryset, active):
        for account in queryset.select_related("outlet", "packaging_house"):
            try:
                services.partner_account_set_active(
                    actor=request.user, account=account, active=active
                )
            except services.PartnerError as error:
                self.message_user(request, str(error), messages.ERROR)

    @admin.action(description=gettext_lazy("Nonaktifkan akun"), permissions=["view"])
    def switch_off(self, request, queryset):
        self._switch(request, queryset, False)

    @admin.action(description=gettext_lazy("Aktifkan lagi"), permissions=["view"])
    def switch_on(self, request, queryset):
        self._switch(request, queryset, True)
