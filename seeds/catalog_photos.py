"""Demo product photos: simple drawings (shapes, colours and the product's
name, never a person) that seeds/catalog.py runs through the upload pipeline."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

# Top-level group -> background and accent colours of its drawn photos.
PALETTE = {
    "kerajinan": ((232, 214, 186), (120, 78, 40)),
    "fashion-tekstil": ((240, 222, 230), (150, 40, 90)),
    "makanan": ((252, 236, 200), (190, 110, 30)),
    "rumah-tangga": ((220, 232, 236), (60, 90, 110)),
    "hewan-taman": ((222, 238, 214), (70, 120, 50)),
    "bahan-bangunan": ((226, 226, 222), (110, 110, 105)),
}

PHOTO_SIZE = (1280, 960)


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def _draw_motif(draw: ImageDraw.ImageDraw, group: str, accent, width: int, height: int):
    cx, cy = width // 2, height // 2 - 60
    if group == "bahan-bangunan":
        r = 70
        for row in range(-3, 4):
            for col in range(-5, 6):
                x = cx + col * r * 1.5
                y = cy + row * r * math.sqrt(3) + (col % 2) * r * math.sqrt(3) / 2
                points = [
                    (
                        x + r * 0.92 * math.cos(math.pi / 3 * k),
                        y + r * 0.92 * math.sin(math.pi / 3 * k),
                    )
                    for k in range(6)
                ]
                draw.polygon(points, fill=accent, outline=(80, 80, 78))
    elif group == "makanan":
        for k in range(5):
            x = cx - 320 + k * 160
            draw.ellipse(
                [x - 70, cy - 50, x + 70, cy + 50], fill=accent, outline=(120, 60, 10), width=4
            )
    elif group == "hewan-taman":
        draw.rectangle([cx - 180, cy - 160, cx + 180, cy + 200], fill=accent)
        draw.polygon(
            [(cx - 210, cy - 160), (cx, cy - 300), (cx + 210, cy - 160)], fill=(90, 60, 30)
        )
        draw.ellipse([cx - 55, cy - 80, cx + 55, cy + 30], fill=(30, 30, 30))
    elif group == "rumah-tangga":
        draw.rectangle([cx - 300, cy - 150, cx + 300, cy + 150], outline=accent, width=10)
        for x in range(cx - 300, cx + 301, 40):
            draw.line([(x, cy - 150), (x, cy + 150)], fill=accent, width=4)
    elif group == "fashion-tekstil":
        for k, y in enumerate(range(cy - 220, cy + 240, 40)):
            colour = accent if k % 2 else (230, 180, 60)
            draw.rectangle([cx - 380, y, cx + 380, y + 20], fill=colour)
    else:  # crafts
        draw.rounded_rectangle([cx - 260, cy - 200, cx + 260, cy + 200], radius=40, fill=accent)
        for k in range(6):
            draw.arc(
                [cx - 220 + k * 20, cy - 160 + k * 20, cx + 220 - k * 20, cy + 160 - k * 20],
                0,
                360,
                fill=(200, 160, 110),
                width=5,
            )


def draw_photo(name: str, group: str) -> bytes:
    """A simple illustration of a product: its group's motif and its name."""
    background, accent = PALETTE.get(group, PALETTE["kerajinan"])
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE, background)
    draw = ImageDraw.Draw(image)
    _draw_motif(draw, group, accent, width, height)
    draw.rectangle([0, height - 170, width, height], fill=(255, 255, 255))
    font = _font(54)
    text = name if len(name) <= 38 else name[:36] + "…"
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(((width - (right - left)) / 2, height - 120), text, fill=(40, 40, 40), font=font)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=1)
    return out.getvalue()
