"""The photo pipeline: what survives an upload, and what is refused."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from catalog.services import product_image_add
from core.images import (
    MAX_UPLOAD_BYTES,
    ImageRejected,
    process_image,
)
from tests.catalog.listing_factories import DraftProductFactory, image_bytes, upload


def _jpeg_with_gps_and_orientation() -> bytes:
    image = Image.new("RGB", (400, 200), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "KameraUji"  # Make
    gps = {1: "S", 2: (3.0, 59.0, 30.0), 3: "E", 4: (122.0, 30.0, 15.0)}
    exif[0x8825] = gps  # GPSInfo IFD
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">lokasi rahasia</x:xmpmeta>'
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, xmp=xmp)
    data = out.getvalue()
    assert b"KameraUji" in data and b"lokasi rahasia" in data
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return data


def test_metadata_is_gone_and_orientation_applied():
    processed = process_image(upload(_jpeg_with_gps_and_orientation()))
    # Rotated by the orientation tag: 400x200 becomes 200x400.
    assert (processed.width, processed.height) == (200, 400)
    blobs = [processed.original] + [
        entry[fmt] for entry in processed.renditions.values() for fmt in ("webp", "jpeg")
    ]
    for blob in blobs:
        assert b"KameraUji" not in blob
        assert b"lokasi rahasia" not in blob
        assert b"Exif" not in blob
        reopened = Image.open(io.BytesIO(blob))
        assert not reopened.getexif()
        assert "exif" not in reopened.info and "xmp" not in reopened.info


def test_png_polyglot_with_html_is_cleaned():
    png = image_bytes("PNG", size=(300, 300))
    polyglot = png + b"<html><body><script>alert('x')</script></body></html>"
    processed = process_image(upload(polyglot, "foto.png", "image/png"))
    for blob in [processed.original] + [e["jpeg"] for e in processed.renditions.values()]:
        assert b"<script" not in blob and b"<html" not in blob
        assert blob.startswith(b"\xff\xd8")  # re-encoded as JPEG, nothing of the PNG left


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG declaring huge dimensions: the classic decompression bomb."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width * 3 + 1) * 8)  # a few rows; the rest "missing"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [(20_000, 20_000), (8_000, 5_001)])
def test_decompression_bomb_and_over_40_megapixels_refused(size):
    data = _png_header_only(*size)
    assert len(data) < 200_000
    with pytest.raises(ImageRejected, match="megapiksel"):
        process_image(upload(data, "bom.png", "image/png"))


def test_pixel_limit_is_inclusive(monkeypatch):
    # The boundary, scaled down so the test stays fast: exactly the limit passes.
    monkeypatch.setattr("core.images.MAX_PIXELS", 400 * 300)
    assert process_image(upload(image_bytes(size=(400, 300)))).width == 400
    with pytest.raises(ImageRejected, match="megapiksel"):
        process_image(upload(image_bytes(size=(401, 300))))


@pytest.mark.parametrize(
    "data,name",
    [
        (image_bytes("GIF"), "foto.gif"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script/></svg>',
            "foto.svg",
        ),
        (b"ini bukan foto, hanya teks biasa", "foto.txt"),
        (image_bytes("BMP"), "foto.bmp"),
    ],
)
def test_wrong_format_refused(data, name):
    with pytest.raises(ImageRejected, match="JPEG, PNG, atau WebP"):
        process_image(upload(data, name, "image/jpeg"))


def test_broken_file_refused():
    data = image_bytes("JPEG", size=(600, 600))
    with pytest.raises(ImageRejected, match="tidak bisa dibaca"):
        process_image(upload(data[: len(data) // 3]))


def test_empty_file_refused():
    with pytest.raises(ImageRejected, match="kosong"):
        process_image(upload(b""))


def test_over_10_mb_refused():
    data = image_bytes("PNG", size=(100, 100)) + b"\x00" * MAX_UPLOAD_BYTES
    with pytest.raises(ImageRejected, match="10"):
        process_image(upload(data, "foto.png", "image/png"))


def test_renditions_never_upscale_and_keep_aspect():
    processed = process_image(upload(image_bytes("WEBP", size=(500, 250))))
    assert processed.renditions[320]["width"] == 320
    assert processed.renditions[320]["height"] == 160
    assert processed.renditions[640]["width"] == 500  # narrower original: not upscaled
    assert processed.renditions[1280]["width"] == 500
    assert Image.open(io.BytesIO(processed.renditions[640]["webp"])).size == (500, 250)


def test_rgba_png_is_flattened_on_white():
    out = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(out, "PNG")
    processed = process_image(upload(out.getvalue(), "foto.png", "image/png"))
    pixel = Image.open(io.BytesIO(processed.original)).convert("RGB").getpixel((25, 25))
    assert all(channel > 240 for channel in pixel)


@pytest.mark.usefixtures("media")
def test_stored_files_have_server_names_and_documented_renditions(db):
    product = DraftProductFactory()
    image = product_image_add(
        product=product,
        upload=upload(_jpeg_with_gps_and_orientation(), "rumah-saya-di-kendari.jpg"),
        alt_text="Tas rajut biru tampak depan",
        actor=None,
    )
    assert "rumah-saya" not in image.image.name
    assert image.image.name.startswith("products/") and image.image.name.endswith(".jpg")
    assert set(image.renditions) == {"320", "640", "1280"}
    for width, entry in image.renditions.items():
        assert set(entry) == {"webp", "jpeg", "width", "height"}
        assert entry["width"] <= int(width)
        assert default_storage.exists(entry["webp"]) and default_storage.exists(entry["jpeg"])
    with default_storage.open(image.image.name) as stored:
        data = stored.read()
    assert b"KameraUji" not in data and not Image.open(io.BytesIO(data)).getexif()
    assert image.srcset().count("w,") == 2
    assert image.rendition_url(640).endswith("/640.webp")
