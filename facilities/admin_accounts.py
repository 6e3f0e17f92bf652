"""The staff accounts screen, and Django's own user and group admins shut to
everyone but superusers.

Head office creates accounts and gives each a role with its facility or
region; a Kanwil reviewer sees its region's facility staff and may switch an
account off; facility staff see no accounts. Rights never come from this
screen's permissions, groups or flags (it has none of those fields): the role
decides, and facilities.services writes it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities import services
from facilities.models import Facility, Membership, Region, StaffAccount
from facilities.scoping import scope_for

Role = Membership.Role


class SuperuserOnlyAdminMixin:
    """Django's user and group admins can grant any permission or the superuser
    flag, so nobody but a superuser reaches them, whatever permissions they hold."""

    def _superuser(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._superuser(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_add_permission(self, request):
        return self._superuser(request)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class SuperuserUserAdmin(SuperuserOnlyAdminMixin, UserAdmin):
    pass


@admin.register(Group)
class SuperuserGroupAdmin(SuperuserOnlyAdminMixin, GroupAdmin):
    pass


class StaffAccountForm(forms.ModelForm):
    """Name, role and place, switched on or off, and a new password; nothing else."""

    role = forms.ChoiceField(
        label=gettext_lazy("Peran"),
        choices=[("", "---------"), *Role.choices],
        help_text=gettext_lazy(
            "Petugas UPT: produk, stok, dan pesanan satu UPT. Peninjau Kanwil: meninjau "
            "listing dan memantau UPT satu Kanwil. Kantor Pusat: semua itu secara nasional, "
            "termasuk akun petugas."
        ),
    )
    facility = forms.ModelChoiceField(
        label=gettext_lazy("UPT"),
        queryset=Facility.objects.none(),
        required=False,
        help_text=gettext_lazy("Wajib untuk Petugas UPT; diabaikan untuk peran lain."),
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Kanwil"),
        queryset=Region.objects.none(),
        required=False,
        help_text=gettext_lazy("Wajib untuk Peninjau Kanwil; diabaikan untuk peran lain."),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Kata sandi baru"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Kosongkan bila kata sandi tidak diganti."),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Ulangi kata sandi baru"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = StaffAccount
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "facility" in self.fields:
            self.fields["facility"].queryset = Facility.objects.select_related("region").order_by(
                "region__name", "name"
            )
            self.fields["facility"].label_from_instance = lambda f: f"{f.name} ({f.region.name})"
            self.fields["region"].queryset = Region.objects.order_by("name")
            membership = Membership.objects.filter(user_id=self.instance.pk).first()
            if membership is not None:
                self.initial.update(
                    role=membership.role,
                    facility=membership.facility_id,
                    region=membership.region_id,
                )
        if "password1" in self.fields and self.instance.pk is None:
            self.fields["password1"].required = self.fields["password2"].required = True
            self.fields["password1"].help_text = ""

    def clean(self):
        cleaned = super().clean()
        if "role" in self.fields and cleaned.get("role"):
            try:
                services.role_place(cleaned["role"], cleaned.get("facility"), cleaned.get("region"))
            except services.AccountError as exc:
                field = "facility" if cleaned["role"] == Role.FACILITY_STAFF else "region"
                self.add_error(field, str(exc))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 or password2:
            if password1 != password2:
                self.add_error("password2", _("Kedua kata sandi tidak sama."))
            else:
                probe = StaffAccount(
                    username=cleaned.get("username") or self.instance.username,
                    first_name=cleaned.get("first_name") or "",
                    last_name=cleaned.get("last_name") or "",
                    email=cleaned.get("email") or "",
                )
                try:
                    services.check_password(password1, probe)
                except services.AccountError as exc:
                    self.add_error("password1", str(exc))
        return cleaned


class AccountRegionFilter(admin.SimpleListFilter):
    title = gettext_lazy("Kanwil")
    parameter_name = "kanwil"

    def lookups(self, request, model_admin):
        return [(r.pk, r.name) for r in scope_for(request.user).regions()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            region_id = int(self.value())
        except ValueError:
            return queryset.none()
        return queryset.filter(
            Q(membership__region_id=region_id) | Q(membership__facility__region_id=region_id)
        )


@admin.register(StaffAccount)
class StaffAccountAdmin(admin.ModelAdmin):
    form = StaffAccountForm
    list_display = [
        "username",
        "full_name",
        "role_display",
        "place_display",
        "is_active",
        "last_login",
    ]
    list_filter = ["membership__role", AccountRegionFilter, "is_active"]
    search_fields = [
        "username",
        "first_name",
        "last_name",
        "email",
        "membership__facility__name",
        "membership__region__name",
    ]
    ordering = ["username"]
    list_per_page = 50
    actions = ["deactivate_selected"]

    # Access comes from the role (facilities.scoping), never from Django's
    # permissions on this model, which nobody is given.
    def has_module_permission(self, request):
        return scope_for(request.user).manages_accounts

    def has_view_permission(self, request, obj=None):
        return scope_for(request.user).manages_accounts

    def has_add_permission(self, request):
        return scope_for(request.user).assigns_roles

    def has_change_permission(self, request, obj=None):
        # One's own account is shown, never changed here.
        if obj is not None and obj.pk == request.user.pk:
            return False
        return scope_for(request.user).manages_accounts

    def has_delete_permission(self, request, obj=None):
        # Histories name their actors: accounts are switched off, never deleted.
        return False

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .select_related("membership__facility", "membership__region")
        )
        return scope_for(request.user).accounts(queryset)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["username", "first_name", "last_name", "email"]}),
                (_("Peran dan penempatan"), {"fields": ["role", "facility", "region"]}),
                (_("Kata sandi"), {"fields": ["password1", "password2"]}),
            ]
        if not scope_for(request.user).assigns_roles or obj.pk == request.user.pk:
            return [
                (None, {"fields": ["username", "full_name", "email", "is_active"]}),
                (_("Peran dan penempatan"), {"fields": ["role_display", "place_display"]}),
                (None, {"fields": ["last_login", "date_joined"]}),
            ]
        return [
            (None, {"fields": ["username", "first_name", "last_name", "email", "is_active"]}),
            (_("Peran dan penempatan"), {"fields": ["role", "facility", "region"]}),
            (_("Ganti kata sandi"), {"fields": ["password1", "password2"]}),
            (None, {"fields": ["last_login", "date_joined"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = ["username", "last_login", "date_joined", "full_name"]
        if not scope_for(request.user).assigns_roles or obj.pk == request.user.pk:
            readonly += ["email", "role_display", "place_display"]
            if not obj.is_active:
                # A reviewer switches accounts off; switching one back on is head office's.
                readonly.append("is_active")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and (
            not scope_for(request.user).assigns_roles or obj.pk == request.user.pk
        ):
            # A declared field is always on the form; drop those this user may
            # not set, so they are neither shown nor required nor accepted.
            dropped = dict.fromkeys(["role", "facility", "region", "password1", "password2"])
            form = type(form.__name__, (form,), dropped)
        return form

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Out of scope looks exactly like missing, as on every scoped admin.
        raise Http404

    # --- columns -------------------------------------------------------------

    @admin.display(description=gettext_lazy("nama"))
    def full_name(self, obj):
        return obj.get_full_name() or "—"

    @admin.display(description=gettext_lazy("peran"), ordering="membership__role")
    def role_display(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else _("belum ada peran")

    @admin.display(description=gettext_lazy("penempatan"))
    def place_display(self, obj):
        membership = getattr(obj, "membership", None)
        if membership is None:
            return "—"
        if membership.facility_id:
            return membership.facility.name
        if membership.region_id:
            return membership.region.name
        return _("Nasional")

    # --- saving through services ------------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if not change:
                created = services.staff_account_create(
                    actor=request.user,
                    username=data["username"],
                    password=data["password1"],
                    role=data["role"],
                    facility=data.get("facility"),
                    region=data.get("region"),
                    first_name=data.get("first_name", ""),
                    last_name=data.get("last_name", ""),
                    email=data.get("email", ""),
                )
                obj.pk = created.pk
                obj._state.adding = False
                return
            changes = {
                name: data[name]
                for name in ("first_name", "last_name", "email", "is_active")
                if name in form.fields
            }
            if "role" in form.fields:
                changes.update(role=data["role"], facility=data["facility"], region=data["region"])
            services.staff_account_update(actor=request.user, account=obj, **changes)
            if data.get("password1"):
                services.staff_account_set_password(
                    actor=request.user, account=obj, password=data["password1"]
                )
        except services.AccountError as exc:
            # Only a tampered form gets here (the screen offers nothing refused);
            # the admin's transaction rolls back whatever was written.
            raise PermissionDenied(str(exc)) from exc

    def save_related(self, request, form, formsets, change):
        # No inlines, and no many-to-many on this form: the role set the groups.
        pass

    @admin.action(description=gettext_lazy("Nonaktifkan akun terpilih"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        done = 0
        for account in queryset:
            try:
                services.staff_account_update(actor=request.user, account=account, is_active=False)
                done += 1
            except services.AccountError as exc:
                self.message_user(request, f"{account.username}: {exc}", level="error")
        if done:
            self.message_user(request, _("%(n)d akun dinonaktifkan.") % {"n": done})
