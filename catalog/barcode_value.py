"""What a product's printed barcode says, and how a scan is read back.

One rule shared by the printed product label and the stand till's scanner:
"KB" and the product's id in seven digits (Code128 on the label). A scan that
is not of this shape is not one of our labels.
"""

from __future__ import annotations

import re

PREFIX = "KB"
_VALUE = re.compile(r"^KB(\d{7,})$")


def product_barcode(product_id: int) -> str:
    return f"{PREFIX}{product_id:07d}"


def product_id_from_barcode(value: str) -> int | None:
    match = _VALUE.match((value or "").strip().upper())
    return int(match.group(1)) if match else None
