"""The scale data's photos: a small shared set drawn once with Pillow and
encoded the way core.images encodes uploads (JPEG original, WebP q80 + JPEG
q85 renditions at RENDITION_WIDTHS); every ProductImage row points at one."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from core.images import RENDITION_WIDTHS

IMAGE_SET_SIZE = 24
IMAGE_DIR = "products/scale"
ORIGINAL_EDGE = 1600


def _draw_image(rng: random.Random, index: int) -> Image.Image:
    """A product-photo stand-in: a lit backdrop, an object, and sensor-like grain,
    so it compresses about as well as a real photo (a flat drawing would not)."""
    edge = ORIGINAL_EDGE
    hue = (index * 37) % 360
    base = _hsv(hue, 0.35, 0.85)
    dark = _hsv(hue, 0.55, 0.35)
    image = Image.new("RGB", (edge, edge), base)
    draw = ImageDraw.Draw(image)
    for y in range(0, edge, 8):  # vertical light falloff
        shade = 1.0 - 0.35 * y / edge
        draw.rectangle([0, y, edge, y + 8], fill=tuple(int(c * shade) for c in base))
    for _ in range(6):  # the object: a few overlapping shapes
        x0, y0 = rng.randint(200, 900), rng.randint(250, 900)
        x1, y1 = x0 + rng.randint(250, 600), y0 + rng.randint(250, 600)
        colour = _hsv(
            (hue + rng.randint(-40, 40)) % 360, rng.uniform(0.4, 0.9), rng.uniform(0.3, 0.9)
        )
        if rng.random() < 0.5:
            draw.ellipse([x0, y0, x1, y1], fill=colour, outline=dark, width=6)
        else:
            draw.rounded_rectangle([x0, y0, x1, y1], radius=40, fill=colour, outline=dark, width=6)
    for _ in range(120):  # texture: weave, grain, carving
        x, y = rng.randint(0, edge), rng.randint(0, edge)
        draw.line(
            [x, y, x + rng.randint(-200, 200), y + rng.randint(-200, 200)], fill=dark, width=2
        )
    image = image.filter(ImageFilter.GaussianBlur(2))
    # Grain at two scales: fine (sensor noise) and coarse (surface texture that
    # survives downscaling, so the 320 and 640 px renditions weigh what real ones do).
    fine = Image.frombytes("L", (edge, edge), rng.randbytes(edge * edge))
    coarse_edge = edge // 6
    coarse = Image.frombytes("L", (coarse_edge, coarse_edge), rng.randbytes(coarse_edge**2))
    coarse = coarse.resize((edge, edge), Image.Resampling.BICUBIC)
    image = Image.blend(image, Image.merge("RGB", (coarse, coarse, coarse)), 0.12)
    return Image.blend(image, Image.merge("RGB", (fine, fine, fine)), 0.05)


def _hsv(h: float, s: float, v: float) -> tuple[int, int, int]:
    import colorsys

    r, g, b = colorsys.hsv_to_rgb(h / 360, s, v)
    return int(r * 255), int(g * 255), int(b * 255)


def _photo_files() -> list[str]:
    names = ["original.jpg"]
    for width in RENDITION_WIDTHS:
        names += [f"{width}.webp", f"{width}.jpg"]
    return names


def _make_image_set(rng: random.Random, media_root: Path, count: int) -> list[dict]:
    """Draw and encode the shared photos (skipping files already on disk).

    Returns, per photo, the ProductImage fields: image name, width, height, renditions.
    """
    photos = []
    for index in range(count):
        stem = f"{IMAGE_DIR}/{index:02d}"
        folder = media_root / stem
        # Each photo has its own rng, so skipping one already on disk changes nothing else.
        photo_rng = random.Random(rng.getrandbits(64))
        if not all((folder / name).exists() for name in _photo_files()):
            folder.mkdir(parents=True, exist_ok=True)
            _write_photo(_draw_image(photo_rng, index), folder)
        renditions = {
            str(width): {
                "webp": f"{stem}/{width}.webp",
                "jpeg": f"{stem}/{width}.jpg",
                "width": width,
                "height": width,  # square photos
            }
            for width in RENDITION_WIDTHS
        }
        photos.append(
            {
                "image": f"{stem}/original.jpg",
                "width": ORIGINAL_EDGE,
                "height": ORIGINAL_EDGE,
                "renditions": renditions,
            }
        )
    return photos


def _write_photo(image: Image.Image, folder: Path) -> None:
    """The original and its renditions, encoded as core.images encodes uploads."""
    image.save(folder / "original.jpg", "JPEG", quality=85, optimize=True, progressive=True)
    for width in RENDITION_WIDTHS:
        small = image.resize((width, width), Image.Resampling.LANCZOS)
        small.save(folder / f"{width}.webp", "WEBP", quality=80, method=4)
        small.save(folder / f"{width}.jpg", "JPEG", quality=85, optimize=True, progressive=True)
