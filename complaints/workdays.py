"""Deadlines in working days: Monday to Friday, except Indonesia's public
holidays (the maintained `holidays` package, national holidays only; a
facility's own days off and cuti bersama are not counted out).

Days are counted in the site's time zone (WIB), so a complaint opened late on
a Friday evening is counted from Friday, not from the UTC date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=32)
def _holidays_of(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: datetime, days: int) -> datetime:
    """`start` moved forward by `days` working days, at the same time of day."""
    moment = timezone.localtime(start) if timezone.is_aware(start) else start
    added = 0
    while added < days:
        moment += timedelta(days=1)
        if is_working_day(moment.date()):
            added += 1
    return moment
