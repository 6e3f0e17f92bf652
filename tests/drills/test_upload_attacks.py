"""Drill: hostile files at the public upload (the shopper's transfer receipt).

The photo pipeline's own refusals (bomb, truncated, SVG, polyglot PNG, over
10 MB) are tested in tests/catalog/test_images.py at the function level; this
drill sends what those tests do not reach through HTTP, the way an attacker
would, and then fetches what was stored the way a victim's browser would.
"""

import importlib
import io
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches, reverse
from PIL import Image

from orders.models import PaymentProof
from tests.factories import facility_staff
from tests.orders.factories import ProductFactory, place, shop

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _png(size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(out, "PNG")
    return out.getvalue()


def _png_bomb(width=30_000, height=30_000) -> bytes:
    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (width * 3 + 1) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _reload_urls():
    import marketplace.urls

    importlib.reload(marketplace.urls)
    clear_url_caches()


@pytest.fixture
def served_media(settings, tmp_path):
    """Uploads land in a temporary MEDIA_ROOT that the development route serves back."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DEBUG = True
    _reload_urls()
    yield tmp_path / "media"
    settings.DEBUG = False
    _reload_urls()


@pytest.fixture
def tracked_order(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    facility = shop(name="Rutan Raha Unggah", city="Raha")
    order = place([(ProductFactory(facility=facility, stock=5), 1)]).orders[0]
    response = client.post("/lacak/", {"code": order.code, "phone": "081234567890"})
    assert response.status_code == 302
    return order


def _send(client, order, name, data, content_type):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(f"/lacak/{order.code}/bukti/", {"receipt": upload})


def _stored(order):
    proof = PaymentProof.objects.get(order=order)
    return proof, proof.file.name


def _opened_by_staff(proof):
    """The receipt as the facility's staff open it from the order page (the
    only way to it: the file is never at a public URL)."""
    staff = Client()
    staff.force_login(facility_staff(proof.order.facility))
    return staff.get(reverse("admin:orders_order_receipt", args=[proof.order_id, proof.pk]))


def test_a_pdf_carrying_html_is_stored_but_only_ever_offered_as_a_sandboxed_download(
    client, tracked_order, served_media
):
    response = _send(client, tracked_order, "bukti.pdf", b"%PDF-1.4\n" + SCRIPT, "application/pdf")
    assert response.status_code == 302
    proof, name = _stored(tracked_order)
    assert name.startswith("private/receipts/") and name.endswith(".pdf")

    assert client.get(proof.file.url).status_code == 404
    served = _opened_by_staff(proof)
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]


def test_a_png_html_polyglot_receipt_is_re_encoded_without_the_html(
    client, tracked_order, served_media
):
    response = _send(client, tracked_order, "bukti.png", _png() + SCRIPT, "image/png")
    assert response.status_code == 302
    proof, name = _stored(tracked_order)
    stored = (served_media / name).read_bytes()
    assert stored.startswith(b"\xff\xd8") and b"<script" not in stored
    assert client.get(proof.file.url).status_code == 404
    served = _opened_by_staff(proof)
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_a_hostile_file_name_never_chooses_where_or_what_is_stored(
    client, tracked_order, served_media
):
    response = _send(client, tracked_order, "../../../../etc/cron.d/x.html", _png(), "text/html")
    assert response.status_code == 302
    _proof, name = _stored(tracked_order)
    assert name.startswith("private/receipts/") and name.endswith(".jpg")
    assert ".." not in name and "cron" not in name and "html" not in name
    assert (served_media / name).resolve().is_relative_to(served_media.resolve())


@pytest.mark.parametrize(
    "name, data, content_type, message",
    [
        (
            "bukti.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
            "foto atau PDF",
        ),
        ("bukti.html", SCRIPT, "text/html", "foto atau PDF"),
        ("bukti.jpg", _png((900, 900))[:2000], "image/jpeg", "foto atau PDF"),
        ("bukti.png", b"", "image/png", "Berkas kosong"),
    ],
    ids=["svg-with-script", "html", "truncated", "empty"],
)
def test_receipts_that_are_not_photos_or_pdfs_are_refused(
    client, tracked_order, served_media, name, data, content_type, message
):
    response = _send(client, tracked_order, name, data, content_type)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PaymentProof.objects.exists()
    assert not (served_media / "receipts").exists()


def test_a_decompression_bomb_is_refused_without_being_decoded(client, tracked_order, served_media):
    data = _png_bomb()
    assert len(data) < 100_000  # 900 megapixels declared in under 100 KB
    started = time.monotonic()
    response = _send(client, tracked_order, "bukti.png", data, "image/png")
    assert time.monotonic() - started < 3
    assert response.status_code == 400
    assert "megapiksel" in response.content.decode()
    assert not PaymentProof.objects.exists()


def test_an_upload_over_the_request_limit_is_refused_before_it_is_read(
    client, tracked_order, settings
):
    settings.MAX_REQUEST_BODY_SIZE = 2 * 1024 * 1024
    big = _png() + b"\x00" * (3 * 1024 * 1024)
    response = _send(client, tracked_order, "bukti.png", big, "image/png")
    assert response.status_code == 413
    assert not PaymentProof.objects.exists()
