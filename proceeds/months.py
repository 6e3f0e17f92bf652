"""Calendar months in the site's time zone (WIB), as the ledger counts them
(the same arithmetic as oversight.periods, which sits above this app)."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.utils import timezone

MONTH_RE = re.compile(r"(20\d\d)-(0[1-9]|1[0-2])")


def add_months(day: date, months: int) -> date:
    years, month_index = divmod(day.month - 1 + months, 12)
    return date(day.year + years, month_index + 1, 1)


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def month_start_at(month: date) -> datetime:
    return timezone.make_aware(datetime.combine(month.replace(day=1), time.min))


def months_between(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def parse_month(value: str) -> date | None:
    """'2026-03' -> date(2026, 3, 1); None for anything else."""
    match = MONTH_RE.fullmatch((value or "").strip())
    return date(int(match[1]), int(match[2]), 1) if match else None
