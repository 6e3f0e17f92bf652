"""Product photos in the admin: the upload form (the image pipeline runs while
validating), the inline on the product page, the photo list, and the
thumbnail both product lists show. Writes go through catalog.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import services
from catalog.models import ProductImage
from core.images import ImageRejected, process_image
from core.money import format_rupiah
from facilities.admin_scoping import FacilityScopedAdminMixin, FacilityScopedModelAdmin


def thumb(image: ProductImage | None, width: int = 64):
    if image is None:
        return "—"
    return format_html(
        # No style attribute (the CSP allows none): the height follows the width.
        '<img class="admin-thumb" src="{}" alt="{}" width="{}">',
        image.rendition_url(320, "jpeg"),
        image.alt_text,
        width,
    )


class ProductColumnsMixin:
    """The columns the product list and the review queue both show."""

    @admin.display(description=gettext_lazy("foto"))
    def cover(self, obj):
        images = list(obj.images.all())
        return thumb(images[0] if images else None)

    @admin.display(description=gettext_lazy("harga"), ordering="price")
    def price_display(self, obj):
        return f"{format_rupiah(obj.price)} / {obj.get_unit_display()}"


class ProductImageForm(forms.ModelForm):
    """A photo row: a new file goes through the pipeline while validating, so a
    refused file is a form error with the pipeline's message, never a 500."""

    upload = forms.FileField(
        label=gettext_lazy("berkas foto"),
        required=False,
        help_text=gettext_lazy("JPEG, PNG, atau WebP; paling besar 10 MB dan 40 megapiksel."),
    )

    class Meta:
        model = ProductImage
        fields = ["upload", "alt_text", "position"]

    def clean(self):
        cleaned = super().clean()
        self.processed = None
        upload = cleaned.get("upload")
        if upload:
            if self.instance.pk:
                self.add_error(
                    "upload", _("Foto yang sudah ada tidak diganti; hapus lalu tambah foto baru.")
                )
            else:
                try:
                    self.processed = process_image(upload)
                except ImageRejected as exc:
                    self.add_error("upload", str(exc))
        elif not self.instance.pk:
            self.add_error("upload", _("Pilih berkas foto."))
        return cleaned


class ProductImageInline(FacilityScopedAdminMixin, admin.TabularInline):
    model = ProductImage
    form = ProductImageForm
    facility_path = "product__facility"
    extra = 1
    fields = ["preview", "upload", "alt_text", "position"]
    readonly_fields = ["preview"]
    verbose_name = gettext_lazy("foto")
    verbose_name_plural = gettext_lazy("foto (yang pertama menjadi sampul)")

    @admin.display(description=gettext_lazy("pratinjau"))
    def preview(self, obj):
        return thumb(obj if obj and obj.pk else None, 96)

    def get_fields(self, request, obj=None):
        # Read-only viewers (reviewers, head office) get no file field, which
        # Django would show as a bare "None".
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj):
            return [f for f in fields if f != "upload"]
        return fields


@admin.register(ProductImage)
class ProductImageAdmin(FacilityScopedModelAdmin):
    """Photos across products; new photos are added on the product's page."""

    class Media:
        css = {"all": ["css/admin_pages.css"]}  # thumbnails

    facility_path = "product__facility"
    list_display = ["preview", "alt_text", "product", "position"]
    list_select_related = ["product", "product__facility"]
    search_fields = ["alt_text", "product__name"]
    fields = ["preview", "product", "alt_text", "position"]
    readonly_fields = ["preview", "product"]
    autocomplete_fields = ["product"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("pratinjau"))
    def preview(self, obj):
        return thumb(obj, 160 if obj and obj.pk else 64)

    def save_model(self, request, obj, form, change):
        services.product_image_update(
            image=ProductImage.objects.get(pk=obj.pk),
            actor=request.user,
            alt_text=form.cleaned_data.get("alt_text"),
            position=form.cleaned_data.get("position"),
        )

    def delete_model(self, request, obj):
        try:
            services.product_image_delete(image=obj, actor=request.user)
        except services.PhotoGoneError as error:
            self.message_user(request, str(error), messages.WARNING)

    def delete_queryset(self, request, queryset):
        for image in queryset.select_related("product"):
            try:
                services.product_image_delete(image=image, actor=request.user)
            except services.PhotoGoneError:
                continue  # deleted meanwhile: what was asked for is done
