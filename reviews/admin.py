"""Moderation in the admin, scoped like everything else (facility staff: their
facility's reviews; Kanwil: its region's; head office: all)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.private_media import private_file_response
from facilities.admin_scoping import FacilityScopedModelAdmin
from reviews import services
from reviews.models import ProductReview, ReviewStatus

DECISIONS = [
    ("", _("— tidak berubah —")),
    ("publish", _("Terbitkan")),
    ("reject", _("Tolak")),
]


class ModerationForm(forms.ModelForm):
    decision = forms.ChoiceField(label=_("Keputusan"), choices=DECISIONS, required=False)
    check_no_inmate = forms.BooleanField(
        label=_("Tidak menyebut atau menampilkan warga binaan"), required=False
    )
    check_no_personal_data = forms.BooleanField(
        label=_("Tidak memuat data pribadi"), required=False
    )
    check_civil = forms.BooleanField(
        label=_("Tidak memuat kata kasar, SARA, atau tautan"), required=False
    )
    reason = forms.CharField(
        label=_("Alasan penolakan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    new_reply = forms.CharField(
        label=_("Balasan publik UPT (sekali saja)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = ProductReview
        fields = []

    CHECKS = ("check_no_inmate", "check_no_personal_data", "check_civil")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "publish" and not all(data.get(c) for c in self.CHECKS):
            raise ValidationError(_("Centang semua butir daftar periksa sebelum menerbitkan."))
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Alasan penolakan wajib diisi."))
        if (data.get("new_reply") or "").strip() and self.instance.reply:
            self.add_error("new_reply", _("UPT sudah membalas ulasan ini."))
        return data


@admin.register(ProductReview)
class ProductReviewAdmin(FacilityScopedModelAdmin):
    form = ModerationForm
    list_display = ("product", "facility", "rating", "photo_count", "status", "created_at")
    list_filter = ("status", "rating")
    search_fields = ("product__name", "text")
    readonly_fields = (
        "product",
        "facility",
        "order_line",
        "rating",
        "text",
        "photo_previews",
        "status",
        "reject_reason",
        "moderated_by",
        "moderated_at",
        "reply",
        "reply_by",
        "reply_at",
        "created_at",
    )
    fields = readonly_fields + (
        "decision",
        "check_no_inmate",
        "check_no_personal_data",
        "check_civil",
        "reason",
        "new_reply",
    )

    def has_add_permission(self, request):
        return False  # reviews come from shoppers only

    def get_queryset(self, request):
        # One query for the list, whatever the number of photos.
        return (
            super()
            .get_queryset(request)
            .select_related("product", "facility")
            .annotate(photos_n=Count("photos"))
        )

    @admin.display(description=_("foto"), ordering="photos_n")
    def photo_count(self, obj):
        return obj.photos_n

    @admin.display(description=_("foto pembeli"))
    def photo_previews(self, obj):
        # Shown whatever the status: the moderator must see them to tick
        # "names or shows no inmate" and "no personal data".
        photos = list(obj.photos.all())
        if not photos:
            return "—"
        return format_html(
            '<div class="review-photos">{}</div>',
            format_html_join(
                "",
                '<a href="{0}" target="_blank" rel="noopener" class="review-photo">'
                '<img src="{1}" alt="{2}" width="160" loading="lazy"></a>',
                (
                    (
                        reverse("admin:reviews_productreview_photo", args=[obj.pk, p.pk, 1280]),
                        reverse("admin:reviews_productreview_photo", args=[obj.pk, p.pk, 320]),
                        _("Foto %(n)s") % {"n": i},
                    )
                    for i, p in enumerate(photos, 1)
                ),
            ),
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/foto/<int:photo_id>/<int:width>/",
                self.admin_site.admin_view(self.photo_view),
                name="reviews_productreview_photo",
            ),
            *super().get_urls(),
        ]

    def photo_view(self, request, object_id, photo_id, width):
        """A review's photo for a moderator in scope (the admin's queryset),
        whatever the review's status."""
        review = self.get_queryset(request).filter(pk=object_id).first()
        photo = review and review.photos.filter(pk=photo_id).first()
        entry = photo and photo.rendition(width)
        if not entry:
            raise Http404
        return private_file_response(
            FieldFile(photo, photo.image.field, entry["jpeg"]),
            content_type="image/jpeg",
            download_name=f"ulasan-{object_id}-{photo_id}.jpg",
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if data.get("decision") == "publish":
                services.review_publish(review=obj, actor=request.user, checklist_ok=True)
            elif data.get("decision") == "reject":
                services.review_reject(review=obj, actor=request.user, reason=data["reason"])
            if (data.get("new_reply") or "").strip():
                services.review_reply(review=obj, actor=request.user, text=data["new_reply"])
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))

    def get_list_filter(self, request):
        return self.list_filter


__all__ = ["ProductReviewAdmin", "ReviewStatus"]
