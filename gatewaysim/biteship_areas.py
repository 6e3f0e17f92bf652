"""Simulated Biteship area ids ("IDNP31IDNC74IDND01IDZ12810"): made by the
Maps API (gatewaysim.biteship_maps), read back by the rates (gatewaysim.biteship).
Apart from both so neither imports the other."""

from __future__ import annotations

import re

AREA_RE = re.compile(r"^IDNP(\d{2})IDNC(\d{2})IDND(\d{2})IDZ(\d{5})$")


def area_id(district_code: str, postal_code: str) -> str:
    province, regency, district = district_code.split(".")
    return f"IDNP{province}IDNC{regency}IDND{district}IDZ{postal_code}"


def postal_for_area(value) -> str:
    """The postal code inside a simulated area id; ValueError for any other id."""
    found = AREA_RE.match(str(value or ""))
    if not found:
        raise ValueError(value)
    return found.group(4)
