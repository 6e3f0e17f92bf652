"""The facility's side of its partners, in the admin: outlet logins (made and
switched off here), the outlets' payments (recorded, confirmed, rejected),
hand-over receipts, packaging houses and requests with their proposals.
Every write goes through partners.services; rows are scoped by the outlet's
or the request's facility (facilities.admin_scoping)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.services import ListingError
from core.images import ImageRejected
from core.private_media import private_file_response
from facilities.admin_scoping import FacilityScopedModelAdmin
from facilities.models import PartnerOutlet
from facilities.scoping import scope_for
from partners import services
from partners.forms import new_key
from partners.models import (
    HandoverReceipt,
    OutletPayment,
    PackagingHouse,
    PackagingPhoto,
    PackagingProposal,
    PackagingRequest,
    PartnerAccount,
)
from partners.services.packaging import houses_for


def _with_actor(form_class, request):
    """The admin's form class, told who is asking (its clean() calls a service)."""

    class WithActor(form_class):
        def __init__(self, *args, **inner):
            super().__init__(*args, actor=request.user, **inner)

    return WithActor


def _scoped_outlets(request):
    return scope_for(request.user).filter_facility_rows(
        PartnerOutlet.objects.select_related("facility"), "facility"
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
        return _with_actor(super().get_form(request, obj, change=change, **kwargs), request)

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
            kwargs["queryset"] = _scoped_outlets(request)
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


class OutletPaymentForm(forms.ModelForm):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    month = forms.DateField(
        label=gettext_lazy("untuk penjualan bulan"),
        input_formats=["%Y-%m", "%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    class Meta:
        model = OutletPayment
        fields = ["outlet", "month", "amount", "paid_on", "proof", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].initial = new_key()


@admin.register(OutletPayment)
class OutletPaymentAdmin(FacilityScopedModelAdmin):
    """Money from the outlets: recorded here (confirmed at once) or reported
    by the outlet from its desk (confirmed or rejected here)."""

    facility_path = "outlet__facility"
    form = OutletPaymentForm
    list_display = ["outlet", "month_display", "amount", "paid_on", "status", "proof_link"]
    list_filter = ["status"]
    list_select_related = ["outlet"]
    date_hierarchy = "month"
    actions = ["confirm", "reject"]

    def get_urls(self):
        return [
            path(
                "<int:object_id>/bukti/",
                self.admin_site.admin_view(self.proof_view),
                name="partners_outletpayment_proof",
            ),
            *super().get_urls(),
        ]

    def proof_view(self, request, object_id):
        payment = self.get_queryset(request).filter(pk=object_id).first()
        if payment is None or not payment.proof:
            raise Http404
        return private_file_response(
            payment.proof, content_type="image/jpeg", download_name=f"setoran-{payment.pk}.jpg"
        )

    @admin.display(description=gettext_lazy("bulan"), ordering="month")
    def month_display(self, payment):
        return payment.month.strftime("%m/%Y")

    @admin.display(description=gettext_lazy("bukti"))
    def proof_link(self, payment):
        if not payment.proof:
            return "-"
        url = reverse("admin:partners_outletpayment_proof", args=[payment.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("Lihat"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "outlet":
            kwargs["queryset"] = _scoped_outlets(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [
                "outlet",
                "month",
                "amount",
                "paid_on",
                "proof",
                "note",
                "status",
                "reported_by",
                "decided_by",
                "decided_at",
            ]
        return []

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = services.outlet_payment_record(
                actor=request.user,
                outlet=data["outlet"],
                month=data["month"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                proof=data.get("proof"),
                note=data.get("note", ""),
                key=data["key"],
            )
        except services.PartnerError as error:
            raise Http404 from error  # out of scope: as if it did not exist
        obj.pk = saved.pk

    @admin.action(description=gettext_lazy("Konfirmasi setoran diterima"), permissions=["change"])
    def confirm(self, request, queryset):
        for payment in queryset:
            try:
                services.outlet_payment_confirm(actor=request.user, payment=payment)
            except services.PartnerError as error:
                self.message_user(request, f"{payment}: {error}", messages.ERROR)

    @admin.action(description=gettext_lazy("Tolak (uang tidak masuk)"), permissions=["change"])
    def reject(self, request, queryset):
        for payment in queryset:
            try:
                services.outlet_payment_reject(
                    actor=request.user, payment=payment, note=_("Tidak ditemukan di rekening UPT.")
                )
            except services.PartnerError as error:
                self.message_user(request, f"{payment}: {error}", messages.ERROR)


@admin.register(HandoverReceipt)
class HandoverReceiptAdmin(FacilityScopedModelAdmin):
    """Which hand-overs the outlets confirmed receiving (read-only)."""

    facility_path = "movement__link__outlet__facility"
    list_display = ["movement", "account", "received_at"]
    list_select_related = ["movement__link__product", "movement__link__outlet", "account__user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PackagingHouse)
class PackagingHouseAdmin(admin.ModelAdmin):
    """Plain records kept by head office; staff read them to pick one."""

    list_display = ["name", "city", "contact_name", "contact_phone", "is_active"]
    list_filter = ["city", "is_active"]
    search_fields = ["name", "city"]


class ProposalInline(admin.StackedInline):
    model = PackagingProposal
    extra = 0
    can_delete = False
    fields = [
        "status",
        "text",
        "price",
        "net_content",
        "composition",
        "food_registration",
        "halal_certificate",
        "photo_links",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("foto"))
    def photo_links(self, proposal):
        links = [
            format_html(
                '<a href="{}" target="_blank">{} {}</a>',
                reverse("admin:partners_packagingrequest_photo", args=[proposal.request_id, p.pk]),
                _("Foto"),
                n,
            )
            for n, p in enumerate(proposal.photos.all(), start=1)
        ]
        return format_html(" · ".join(["{}"] * len(links)), *links) if links else "-"


class PackagingRequestForm(forms.ModelForm):
    """The request is written by partners.services.packaging_request_create in
    clean(), so a house of another city or a bad photo is a form error."""

    photo = forms.ImageField(label=gettext_lazy("foto produk/kemasan sekarang"), required=False)

    class Meta:
        model = PackagingRequest
        fields = ["product", "house", "note"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.instance = services.packaging_request_create(
                actor=self.actor,
                product=data["product"],
                house=data["house"],
                note=data["note"],
                photo=data.get("photo"),
            )
        except (services.PartnerError, ImageRejected) as error:
            raise forms.ValidationError(str(error)) from error
        return data


@admin.register(PackagingRequest)
class PackagingRequestAdmin(FacilityScopedModelAdmin):
    """A facility asks a packaging house of its city; the proposals come in
    below; the action "Terima usulan terbaru" turns the newest one into a
    product edit that goes to the Kanwil's review."""

    form = PackagingRequestForm
    list_display = ["product", "house", "facility", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["product", "house", "facility"]
    inlines = [ProposalInline]
    actions = ["accept_newest"]

    def get_urls(self):
        return [
            path(
                "<int:object_id>/foto/<int:photo_id>/",
                self.admin_site.admin_view(self.photo_view),
                name="partners_packagingrequest_photo",
            ),
            *super().get_urls(),
        ]

    def photo_view(self, request, object_id, photo_id):
        item = self.get_queryset(request).filter(pk=object_id).first()
        photo = (
            PackagingPhoto.objects.filter(pk=photo_id, proposal__request=item).first()
            if item
            else None
        )
        if photo is None:
            raise Http404
        return private_file_response(
            photo.file, content_type="image/jpeg", download_name="foto.jpg"
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["product", "house", "note", "photo"]
        return ["product", "house", "facility", "note", "status", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = scope_for(request.user)
        if db_field.name == "house" and scope.is_facility_staff:
            facility = self.scoped_facility(request)
            kwargs["queryset"] = PackagingHouse.objects.filter(
                pk__in=[house.pk for house in houses_for(facility)]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _with_actor(super().get_form(request, obj, change=change, **kwargs), request)

    def save_model(self, request, obj, form, change):
        pass  # written by the service in the form's clean()

    def save_related(self, request, form, formsets, change):
        pass

    @admin.action(
        description=gettext_lazy("Terima usulan terbaru (ubah produk, ajukan tinjauan)"),
        permissions=["view"],
    )
    def accept_newest(self, request, queryset):
        for item in queryset:
            proposal = item.proposals.filter(status=PackagingProposal.Status.SENT).first()
            if proposal is None:
                self.message_user(
                    request, _("%(item)s: belum ada usulan.") % {"item": item}, messages.WARNING
                )
                continue
            try:
                services.packaging_proposal_accept(actor=request.user, proposal=proposal)
            except (services.PartnerError, ListingError) as error:
                self.message_user(request, f"{item}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(item)s: usulan diterima; produk diubah lewat tinjauan listing.")
                    % {"item": item},
                    messages.SUCCESS,
                )
