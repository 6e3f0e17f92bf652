"""Packaging houses, the facility's requests and the houses' proposals."""

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
from facilities.scoping import scope_for
from partners import services
from partners.admin.common import with_actor
from partners.models import (
    PackagingHouse,
    PackagingPhoto,
    PackagingProposal,
    PackagingRequest,
)
from partners.services.packaging import houses_for


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
        return with_actor(super().get_form(request, obj, change=change, **kwargs), request)

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
