"""Transfer receipts carry shoppers' names and bank details: stored in the
private folder, never at a public URL, opened by staff in scope only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from orders.payments.services.receipts import payment_proof_submit
from tests.factories import (
    FacilityFactory,
    RegionFactory,
    facility_staff,
    head_office_user,
    regional_reviewer,
)
from tests.orders.factories import ProductFactory, place, shop

pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 120), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def proof(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    facility = shop(name="Lapas Perempuan Palembang", region=RegionFactory(name="Kanwil Sumsel"))
    order = place([(ProductFactory(facility=facility, stock=5), 1)]).orders[0]
    upload = SimpleUploadedFile("struk.jpg", _jpeg(), content_type="image/jpeg")
    return payment_proof_submit(order=order, upload=upload)


def _url(proof) -> str:
    return reverse("admin:orders_order_receipt", args=[proof.order_id, proof.pk])


def test_stored_in_the_private_folder(proof, tmp_path):
    assert proof.file.name.startswith("private/receipts/")
    assert (tmp_path / "media" / proof.file.name).exists()


@pytest.mark.parametrize("who", ["facility_staff", "regional_reviewer", "head_office"])
def test_staff_in_scope_open_it_with_safe_headers(client, proof, who):
    facility = proof.order.facility
    user = {
        "facility_staff": lambda: facility_staff(facility),
        "regional_reviewer": lambda: regional_reviewer(facility.region),
        "head_office": head_office_user,
    }[who]()
    client.force_login(user)
    response = client.get(_url(proof))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == proof.file.open("rb").read()
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith('inline; filename="bukti-')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))


def test_staff_of_another_facility_and_another_region_get_nothing(client, proof):
    other = FacilityFactory()
    for user in (facility_staff(other), regional_reviewer(other.region)):
        client.force_login(user)
        assert client.get(_url(proof)).status_code == 404


def test_a_receipt_id_from_another_order_is_refused(client, proof):
    client.force_login(facility_staff(proof.order.facility))
    facility = proof.order.facility
    other_order = place([(ProductFactory(facility=facility, stock=5), 1)]).orders[0]
    url = reverse("admin:orders_order_receipt", args=[other_order.pk, proof.pk])
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, proof):
    response = client.get(_url(proof))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_file_is_not_at_a_public_url(client, proof, settings):
    # Even the development media route, which serves product photos, skips it.
    settings.DEBUG = True
    from tests.drills.test_upload_attacks import _reload_urls

    _reload_urls()
    try:
        assert client.get(proof.file.url).status_code == 404
    finally:
        settings.DEBUG = False
        _reload_urls()


@override_settings(PRIVATE_MEDIA_X_ACCEL=True)
def test_behind_nginx_the_file_is_handed_over_by_x_accel_redirect(client, proof):
    client.force_login(facility_staff(proof.order.facility))
    response = client.get(_url(proof))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/media/{proof.file.name}"


def test_the_order_page_links_to_the_staff_view(client, proof):
    client.force_login(facility_staff(proof.order.facility))
    page = client.get(reverse("admin:orders_order_change", args=[proof.order_id]))
    assert _url(proof) in page.content.decode()
    assert "/media/private/" not in page.content.decode()


def test_receipts_stored_before_are_moved_to_the_private_folder(proof, tmp_path):
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    migration = importlib.import_module("orders.migrations.0006_receipts_private")
    old_name = default_storage.save("receipts/lama.jpg", ContentFile(b"jpeg-bytes"))
    proof.file.name = old_name
    proof.save(update_fields=["file"])
    migration.forwards(apps, None)
    proof.refresh_from_db()
    assert proof.file.name == "private/receipts/lama.jpg"
    assert (tmp_path / "media" / "private/receipts/lama.jpg").read_bytes() == b"jpeg-bytes"
    assert not (tmp_path / "media" / "receipts/lama.jpg").exists()
