"""Admin forms for facilities."""

import uuid

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from core.images import ImageRejected, process_image
from facilities.models import Facility


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
