"""Page weight as a phone 390 CSS px wide (device pixel ratio 2) would fetch it.

HTML is counted gzip-compressed (level 6, as the reverse proxy compresses it),
CSS and JS as the .gz WhiteNoise serves, images at the size the browser picks:
for each <picture>, the first <source> it supports (WebP), from its srcset the
smallest candidate at least slot width x DPR wide, the slot width coming from
`sizes` evaluated at a 390 px viewport. Images are not compressed again.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

VIEWPORT = 390
DPR = 2
ROOT_FONT_PX = 16


@dataclass
class Weight:
    html: int = 0
    css: int = 0
    js: int = 0
    images_eager: int = 0
    images_lazy: int = 0
    image_count: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def first_view(self) -> int:
        """What loads before any scrolling: everything but lazy images."""
        return self.html + self.css + self.js + self.images_eager

    @property
    def total(self) -> int:
        """Everything, as if the shopper scrolled to the end of the page."""
        return self.first_view + self.images_lazy


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.css: list[str] = []
        self.js: list[str] = []
        self.images: list[tuple[str, bool]] = []  # (url, lazy)
        self._picture_source: tuple[str, str] | None = None
        self._in_picture = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").split():
            self.css.append(a.get("href", ""))
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])
        elif tag == "picture":
            self._in_picture, self._picture_source = True, None
        elif tag == "source" and self._in_picture and self._picture_source is None:
            if a.get("type", "image/webp") in ("image/webp", "image/avif", ""):
                self._picture_source = (a.get("srcset", ""), a.get("sizes", ""))
        elif tag == "img":
            lazy = a.get("loading", "") == "lazy"
            if self._in_picture and self._picture_source:
                srcset, sizes = self._picture_source
            else:
                srcset, sizes = a.get("srcset", ""), a.get("sizes", "")
            url = choose_candidate(srcset, sizes) if srcset else a.get("src", "")
            if url:
                self.images.append((url, lazy))

    def handle_endtag(self, tag):
        if tag == "picture":
            self._in_picture, self._picture_source = False, None


def _length_px(value: str) -> float | None:
    value = value.strip()
    match = re.fullmatch(r"([\d.]+)(px|vw|rem|em)", value)
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2)
    return {
        "px": number,
        "vw": number * VIEWPORT / 100,
        "rem": number * ROOT_FONT_PX,
        "em": number * ROOT_FONT_PX,
    }[unit]


def _media_matches(condition: str) -> bool:
    for feature, length in re.findall(r"\((min|max)-width:\s*([\d.]+(?:px|rem|em))\)", condition):
        px = _length_px(length)
        if px is None:
            return False
        if feature == "min" and px > VIEWPORT:
            return False
        if feature == "max" and px < VIEWPORT:
            return False
    return True


def slot_width(sizes: str) -> float:
    """The image's display width at the 390 px viewport, from a `sizes` value."""
    for entry in (e.strip() for e in sizes.split(",") if e.strip()):
        match = re.match(r"^(\(.*\))\s+(\S+)$", entry)
        if match:
            if _media_matches(match.group(1)):
                return _length_px(match.group(2)) or VIEWPORT
            continue
        return _length_px(entry) or VIEWPORT
    return VIEWPORT  # no sizes: 100vw


def choose_candidate(srcset: str, sizes: str) -> str:
    candidates = []
    for part in srcset.split(","):
        bits = part.strip().split()
        if len(bits) == 2 and bits[1].endswith("w"):
            candidates.append((int(bits[1][:-1]), bits[0]))
        elif bits:
            candidates.append((0, bits[0]))
    if not candidates:
        return ""
    needed = slot_width(sizes) * DPR
    wide_enough = sorted(c for c in candidates if c[0] >= needed)
    return (wide_enough[0] if wide_enough else max(candidates))[1]


def _file_size(url: str, roots: dict[str, Path], compressed: bool, weight: Weight) -> int:
    path_part = url.split("?", 1)[0]
    for prefix, root in roots.items():
        if path_part.startswith(prefix):
            path = root / path_part[len(prefix) :]
            if compressed and Path(f"{path}.gz").is_file():
                return Path(f"{path}.gz").stat().st_size
            if path.is_file():
                if compressed:
                    return len(gzip.compress(path.read_bytes(), 6))
                return path.stat().st_size
    weight.missing.append(url)
    return 0


def page_weight(
    html: str, *, static_url: str, static_root: Path, media_url: str, media_root: Path
) -> Weight:
    roots = {static_url: Path(static_root), media_url: Path(media_root)}
    parser = _Assets()
    parser.feed(html)
    weight = Weight(html=len(gzip.compress(html.encode(), 6)))
    for url in dict.fromkeys(parser.css):
        weight.css += _file_size(url, roots, True, weight)
    for url in dict.fromkeys(parser.js):
        weight.js += _file_size(url, roots, True, weight)
    # Every card counted, even when two share a file: real products each have
    # their own photo, while the scale data shares a couple of dozen.
    for url, lazy in parser.images:
        size = _file_size(url, roots, False, weight)
        weight.image_count += 1
        if lazy:
            weight.images_lazy += size
        else:
            weight.images_eager += size
    return weight
