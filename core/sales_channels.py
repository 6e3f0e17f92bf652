"""Sales made away from the web shop's orders (a stand till, a partner
outlet's desk, ...), told to the reports by the app that records them.

The sales report, the proceeds ledger and the impact page (oversight and
proceeds, above every selling app) read web orders, consignment and
institutional sales with their own queries; a selling app that sits beside
them registers a reader here in its AppConfig.ready, the way
core.page_registry is filled, so the reports never import a channel and a new
channel needs no change to them.

A reader answers sales in a date range (inclusive, WIB days), optionally for
some facilities, as rows aggregated per facility and day. Amounts are whole
rupiah of goods (no shipping); returns and voids are already netted out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ChannelSales:
    facility_id: int
    day: date
    items: int
    revenue: int


@dataclass(frozen=True)
class Channel:
    key: str
    label: str  # Indonesian, shown as a column or a row label
    read: Callable[[date, date, Iterable[int] | None], Iterable[ChannelSales]]


_CHANNELS: dict[str, Channel] = {}


def register_channel(key: str, label, read) -> None:
    """`read(first_day, last_day, facility_ids or None)` -> ChannelSales rows."""
    _CHANNELS[key] = Channel(key=key, label=label, read=read)


def channels() -> list[Channel]:
    return [_CHANNELS[key] for key in sorted(_CHANNELS)]


def channel_sales(
    first_day: date, last_day: date, facility_ids: Iterable[int] | None = None
) -> dict[str, list[ChannelSales]]:
    """Every registered channel's rows for the range, by channel key."""
    ids = None if facility_ids is None else list(facility_ids)
    return {channel.key: list(channel.read(first_day, last_day, ids)) for channel in channels()}
