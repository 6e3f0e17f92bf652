"""First view of the catalog on a phone: everything the browser downloads
(HTML, CSS, photos above the fold) stays under 500 KB.

A real browser decides which srcset candidate to fetch and which lazy photos
to load, so this runs in Debian's chromium through Playwright (the same setup
as tests/browser; skipped with a reason when either is missing).
"""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

from catalog.models import ProductImage
from core.images import process_image, store_processed
from tests.browser.conftest import chromium  # noqa: F401 (fixture)
from tests.catalog.factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET_BYTES = 500 * 1024
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,  # a dense phone screen picks the larger renditions
    "is_mobile": True,
    "has_touch": True,
}


def photo_like(seed: int) -> bytes:
    """A 1280x960 JPEG with the detail of a real product photo (shapes,
    gradients, grain), so the renditions weigh what real ones weigh."""
    rng = random.Random(seed)
    image = Image.new("RGB", (1280, 960), (rng.randrange(256), 180, 140))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(1280), rng.randrange(960)
        r = rng.randrange(20, 300)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(1))
    # Grain strong enough that a 640 px WebP weighs ~75 KB, heavier than most
    # real product photos (fabric, wood grain) at that size.
    noise = Image.effect_noise((1280, 960), 80).convert("RGB")
    image = Image.blend(image, noise, 0.35)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


@pytest.fixture
def photographed_catalog(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    for i in range(24):
        product = ProductFactory(name=f"Tas Rajut Motif {i}")
        processed = process_image(SimpleUploadedFile("f.jpg", photo_like(i), "image/jpeg"))
        original, renditions = store_processed(processed)
        ProductImage.objects.create(
            product=product,
            image=original,
            width=processed.width,
            height=processed.height,
            renditions=renditions,
            alt_text=f"Foto tas rajut {i}",
        )


def test_first_catalog_view_on_a_phone_is_under_500_kb(
    chromium,  # noqa: F811
    live_server,
    photographed_catalog,
):
    context = chromium.new_context(locale="id-ID", **PHONE)
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.ok else None)
    page.goto(live_server.url + "/produk/", wait_until="networkidle")
    context.close()

    total = sum(sizes.values())
    photos = [url for url in sizes if "/media/" in url]
    # Only the photos near the first screen load; the other cards wait.
    assert 0 < len(photos) < 24, photos
    assert all(url.endswith("/320.webp") for url in photos), photos
    assert total < BUDGET_BYTES, f"{total} bytes: {sorted(sizes.items(), key=lambda kv: -kv[1])}"
    print(f"first view: {total} bytes, {len(photos)} photos of 24")
