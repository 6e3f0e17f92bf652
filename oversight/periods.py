"""Calendar months in the site's time zone (WIB), the unit every report counts in."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

# The months a report may name: from the first month the shop could have sold
# (nothing predates 2020) to December of next year. A year typed with twenty
# digits (`start=99999999999999999999-01`) is refused with this range, never
# handed to date(), which raised OverflowError (a 500).
FIRST_MONTH = date(2020, 1, 1)


def last_month_allowed() -> date:
    """December of next year: the latest month a report may name."""
    return date(timezone.localdate().year + 1, 12, 1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before) `day`'s month."""
    years, month_index = divmod(day.month - 1 + months, 12)
    return date(day.year + years, month_index + 1, 1)


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """First days of every month from `first` to `last`, both included."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def month_start_at(month: date) -> datetime:
    """Midnight at the start of `month`, in the current time zone."""
    return timezone.make_aware(datetime.combine(month.replace(day=1), time.min))


def month_label(month: date, *, short: bool = False) -> str:
    """'Jan 2026' (or 'Jan' when `short`); month names follow the active language."""
    from django.utils.dateformat import format as date_format

    return date_format(month, "M" if short else "M Y")
