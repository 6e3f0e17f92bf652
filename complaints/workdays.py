"""Deadlines in working days: Monday to Friday, except Indonesia's public
holidays and cuti bersama (the maintained `holidays` package: its "public"
category is the national holidays, its "government" category the joint leave
days of the yearly SKB, on which government offices, UPTs included, are
closed). A facility's own days off are not counted out.

Days are counted in the site's time zone (WIB), so a complaint opened late on
a Friday evening is counted from Friday, not from the UTC date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone
from holidays.constants import GOVERNMENT, PUBLIC

# A UPT is a government office: closed on national holidays and on cuti bersama.
CATEGORIES = (PUBLIC, GOVERNMENT)


@lru_cache(maxsize=32)
def _holidays_of(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year, categories=CATEGORIES)


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
