"""Facility logos and banners go through the photo pipeline: no EXIF, no GPS."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from facilities.forms import FacilityAdminForm
from facilities.models import Facility


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (400, 200), "#8a3b12")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    gps = exif.get_ifd(0x8825)
    gps[2] = (6.0, 10.0, 30.0)  # latitude
    gps[4] = (106.0, 49.0, 10.0)  # longitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.mark.django_db
def test_banner_is_re_encoded_without_metadata(facility, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is there
    form = FacilityAdminForm(
        data={},
        files={"banner": SimpleUploadedFile("IMG_2231.jpg", original, "image/jpeg")},
        instance=facility,
    )
    form.fields = {"banner": form.fields["banner"]}
    assert form.is_valid(), form.errors
    saved = form.save()
    saved.refresh_from_db()
    assert "IMG_2231" not in saved.banner.name
    with saved.banner.open("rb") as stored:
        picture = Image.open(io.BytesIO(stored.read()))
    assert not picture.getexif()
    assert Facility.objects.get(pk=facility.pk).banner.name == saved.banner.name


@pytest.mark.django_db
def test_a_file_that_is_not_a_photo_is_refused_with_a_message(facility):
    form = FacilityAdminForm(
        data={},
        files={"logo": SimpleUploadedFile("logo.svg", b"<svg></svg>", "image/svg+xml")},
        instance=facility,
    )
    form.fields = {"logo": form.fields["logo"]}
    assert not form.is_valid()
    assert form.errors["logo"]
