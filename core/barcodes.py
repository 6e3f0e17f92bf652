"""Barcodes drawn as inline SVG for printed pages (the shipping label).

Code128 through python-barcode's encoder (only the bar pattern: its own SVG
writer puts `style` attributes on every bar, which the site's CSP blocks);
QR through segno, whose inline SVG uses attributes only. Both are vectors, so
they print sharp at any size from a phone's print dialog.
"""

from __future__ import annotations

import barcode
import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Code128's quiet zone: at least 10 modules of white each side (ISO/IEC 15417).
QUIET_MODULES = 10


def code128_modules(value: str) -> str:
    """The bar pattern of `value` as '1' (bar) and '0' (space), one per module."""
    return barcode.get("code128", value).build()[0]


def code128_svg(value: str, *, height: int = 50) -> SafeString:
    """`value` as a Code128 barcode: an SVG one unit per module, scaled by CSS
    (width 100%), with its quiet zone, each run of bars one rect."""
    modules = code128_modules(value)
    width = len(modules) + 2 * QUIET_MODULES
    rects = [
        f'<rect x="{QUIET_MODULES + start}" y="0" width="{len(run)}" height="{height}"/>'
        for start, run in _runs(modules)
        if run[0] == "1"
    ]
    return mark_safe(  # noqa: S308 - numbers we computed and the escaped value
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-barcode" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
        f'shape-rendering="crispEdges" role="img" '
        f'aria-label="{escape(value)}" data-value="{escape(value)}">'
        f'<rect width="{width}" height="{height}" fill="#fff"/>'
        f'<g fill="#000">{"".join(rects)}</g></svg>'
    )


def _runs(modules: str):
    start = 0
    for i in range(1, len(modules) + 1):
        if i == len(modules) or modules[i] != modules[start]:
            yield start, modules[start:i]
            start = i


def qr_svg(value: str, *, scale: int = 3) -> SafeString:
    """`value` as a QR code (error correction M), inline SVG without style."""
    qr = segno.make(value, error="m", micro=False)
    return mark_safe(qr.svg_inline(scale=scale, svgclass="kb-qr", lineclass=None, omitsize=True))  # noqa: S308


def qr_file(value: str, *, kind: str = "svg") -> bytes:
    """A payment's QR string as an image file: SVG with its size (for an
    <img>, from our own origin so the CSP needs no image host), or PNG for a
    download, with a wider border for the wallets' gallery scanners (segno
    writes PNG itself, no imaging library)."""
    import io

    out = io.BytesIO()
    qr = segno.make(value, error="m")
    if kind == "png":
        qr.save(out, kind="png", scale=10, border=4)
    else:
        qr.save(out, kind="svg", scale=6, border=2)
    return out.getvalue()
