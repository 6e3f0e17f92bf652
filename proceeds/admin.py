"""The ledger in the staff's admin: payments with proof, work programmes and
their monthly headcounts. Every queryset and choice is scoped
(facilities.scoping), every write goes through proceeds.services, and an entry
is never changed or deleted once recorded (a closed month is final; an open
month's mistake is explained at the close)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.money import format_rupiah
from facilities.scoping import scope_for
from proceeds import forms, selectors, services
from proceeds.models import LedgerEntry, LedgerMonth, ProgrammeMonth, WorkProgramme
from proceeds.months import add_months, this_month


def _apply_refusal(form, error: services.ProceedsError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@admin.register(LedgerMonth)
class LedgerMonthAdmin(admin.ModelAdmin):
    """In the admin index as "Bulan buku hasil"; its list is the ledger page."""

    def changelist_view(self, request, extra_context=None):
        return redirect("proceeds:ledger")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    form = forms.LedgerEntryForm
    list_display = [
        "paid_on",
        "facility",
        "month_label",
        "kind",
        "amount_label",
        "reference",
        "entered_by",
    ]
    list_filter = ["kind"]
    search_fields = ["reference", "ntpn", "billing_code"]
    list_select_related = ["facility", "ledger", "entered_by"]

    @admin.display(description=_("Bulan"), ordering="ledger__month")
    def month_label(self, obj):
        return f"{obj.ledger.month:%m/%Y}"

    @admin.display(description=_("Jumlah"), ordering="amount")
    def amount_label(self, obj):
        return format_rupiah(obj.amount)

    @admin.display(description=_("Bukti"))
    def proof_link(self, obj):
        url = reverse("proceeds:proof", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Buka bukti"))

    def get_queryset(self, request):
        return selectors.entries_in_scope(scope_for(request.user)).select_related(
            "facility", "ledger", "entered_by", "programme"
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        scope = scope_for(request.user)

        class ScopedForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, scope=scope, **kw)

        # No pencil or eye beside the choices: a payment is no place to edit a
        # facility or a programme.
        for name in ("facility", "programme"):
            widget = ScopedForm.base_fields.get(name) and ScopedForm.base_fields[name].widget
            for flag in ("can_add_related", "can_change_related", "can_view_related"):
                if widget is not None and hasattr(widget, flag):
                    setattr(widget, flag, False)
        return ScopedForm

    def get_changeform_initial_data(self, request):
        # Staff record for their own facility, mostly for the month just ended.
        scope = scope_for(request.user)
        initial = {"month": f"{add_months(this_month(), -1):%Y-%m}"}
        if scope.is_facility_staff:
            initial["facility"] = scope.facility_id
        return {**initial, **super().get_changeform_initial_data(request)}

    def get_fields(self, request, obj=None):
        if obj is None:
            return super().get_fields(request, obj)
        return [
            "facility",
            "ledger",
            "kind",
            "programme",
            "amount",
            "paid_on",
            "reference",
            "billing_code",
            "ntpn",
            "proof_link",
            "note",
            "entered_by",
            "entered_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            entry = services.ledger_entry_record(
                actor=request.user,
                scope=scope_for(request.user),
                facility_id=data["facility"].pk,
                month=data["month"],
                kind=data["kind"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                reference=data["reference"],
                proof=data.get("proof"),
                programme_id=data["programme"].pk if data.get("programme") else None,
                billing_code=data.get("billing_code", ""),
                ntpn=data.get("ntpn", ""),
                note=data.get("note", ""),
            )
        except services.ProceedsError as error:
            raise _Refused(error) from error
        obj.pk = entry.pk
        obj.__dict__.update({k: v for k, v in entry.__dict__.items() if not k.startswith("_")})

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except _Refused as refused:
            messages.error(request, refused.error.message)
            return redirect(request.get_full_path())

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(request, _("Pembayaran dicatat."))
        return redirect(
            "proceeds:month", facility_id=obj.facility_id, month=f"{obj.ledger.month:%Y-%m}"
        )


class _Refused(Exception):
    def __init__(self, error: services.ProceedsError):
        super().__init__(error.message)
        self.error = error


@admin.register(WorkProgramme)
class WorkProgrammeAdmin(admin.ModelAdmin):
    form = forms.WorkProgrammeForm
    list_display = ["name", "facility", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return selectors.programmes_in_scope(scope_for(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "facility":
            kwargs["queryset"] = selectors.ledger_facilities(scope_for(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = services.programme_save(
                actor=request.user,
                scope=scope_for(request.user),
                facility_id=data["facility"].pk,
                name=data["name"],
                is_active=data["is_active"],
                pk=obj.pk if change else None,
            )
        except services.ProceedsError as error:
            raise PermissionDenied(error.message) from error
        obj.pk = saved.pk


@admin.register(ProgrammeMonth)
class ProgrammeMonthAdmin(admin.ModelAdmin):
    form = forms.ProgrammeMonthForm
    list_display = ["programme", "facility_name", "month", "participants"]
    list_select_related = ["programme__facility"]

    @admin.display(description=_("UPT"))
    def facility_name(self, obj):
        return obj.programme.facility.name

    def get_queryset(self, request):
        return selectors.programme_months_in_scope(scope_for(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = selectors.programmes_in_scope(scope_for(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["programme"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = services.programme_month_record(
                actor=request.user,
                scope=scope_for(request.user),
                programme_id=(data.get("programme") or obj.programme).pk,
                month=data["month"],
                participants=data["participants"],
            )
        except services.ProceedsError as error:
            raise PermissionDenied(error.message) from error
        obj.pk, obj.programme_id = saved.pk, saved.programme_id
        obj.month, obj.participants = saved.month, saved.participants
