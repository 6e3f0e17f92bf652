"""Uploaded files are served so that they can never run script (DEBUG's static() route)."""

import importlib

import pytest
from django.urls import clear_url_caches

SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
# Starts like a JPEG, carries HTML further on: a browser that sniffs might render it.
POLYGLOT = b"\xff\xd8\xff\xe0" + b"<html><script>alert(document.cookie)</script></html>"


def _reload_urls():
    import marketplace.urls

    importlib.reload(marketplace.urls)
    clear_url_caches()


@pytest.fixture
def debug_media(settings, tmp_path):
    """The development site, whose urls.py serves MEDIA_ROOT through static()."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(tmp_path)
    _reload_urls()
    yield tmp_path
    settings.DEBUG = False
    _reload_urls()


def test_development_serves_media_only_under_debug(client, db):
    # The test settings run with DEBUG off: no media route at all.
    assert client.get("/media/anything.jpg").status_code == 404


def test_an_uploaded_photo_is_shown_inline_without_sniffing(client, db, debug_media):
    (debug_media / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0fake-jpeg")
    response = client.get("/media/photo.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert not response.get("Content-Disposition", "").startswith("attachment")


def test_an_svg_with_script_is_a_sandboxed_download(client, db, debug_media):
    (debug_media / "logo.svg").write_bytes(SVG_WITH_SCRIPT)
    response = client.get("/media/logo.svg")
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_html_upload_is_a_download_never_a_page(client, db, debug_media):
    (debug_media / "receipt.html").write_bytes(b"<script>alert(1)</script>")
    response = client.get("/media/receipt.html")
    assert response["Content-Disposition"] == "attachment"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_polyglot_named_jpg_stays_an_image(client, db, debug_media):
    (debug_media / "struk.jpg").write_bytes(POLYGLOT)
    response = client.get("/media/struk.jpg")
    # Declared an image, with sniffing off and script sandboxed: never HTML.
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
