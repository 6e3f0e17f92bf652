"""Admin forms for facilities."""

import uuid

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.images import ImageRejected, process_image
from facilities.models import Facility
from regions.chain import belongs
from regions.models import District, Village


def _region_code_field(model, label, example):
    # A code typed (or pasted from the regions list), not a select of 7,000
    # districts or 83,000 villages; checked against the region data.
    return forms.ModelChoiceField(
        queryset=model.objects.all(),
        required=False,
        label=label,
        widget=forms.TextInput(attrs={"placeholder": example, "inputmode": "decimal"}),
        help_text=_("Kode Kemendagri, contoh %(c)s.") % {"c": example},
        error_messages={"invalid_choice": _("Kode wilayah ini tidak dikenal.")},
    )


class FacilityAdminForm(forms.ModelForm):
    """Logo and banner go through the same photo pipeline as product photos:
    a banner shot inside a facility must not carry its GPS position."""

    class Meta:
        model = Facility
        # Every field: the admin's own field list (its read-only fields, its
        # fieldsets) decides what is shown. Naming only logo and banner here
        # made the admin's form those two fields alone, and its add page crash
        # on the prepopulated slug. This form cleans the two pictures.
        fields = "__all__"  # noqa: DJ007 - the admin, not this form, picks the fields

    origin_district = _region_code_field(District, _("kecamatan asal kiriman"), "16.71.04")
    origin_village = _region_code_field(Village, _("kelurahan/desa asal kiriman"), "16.71.04.1001")

    def clean(self):
        data = super().clean()
        district, village = data.get("origin_district"), data.get("origin_village")
        if district and village and not belongs(village.code, district.code):
            self.add_error(
                "origin_village", _("Kelurahan/desa ini tidak berada di kecamatan asal kiriman.")
            )
        return data

    def _clean_picture(self, field_name: str):
        picture = self.cleaned_data.get(field_name)
        if not isinstance(picture, UploadedFile):
            return picture  # unchanged, cleared, or empty
        try:
            processed = process_image(picture)
        except ImageRejected as error:
            raise forms.ValidationError(str(error)) from None
        return ContentFile(processed.original, name=f"{uuid.uuid4().hex}.jpg")

    def clean_logo(self):
        return self._clean_picture("logo")

    def clean_banner(self):
        return self._clean_picture("banner")
