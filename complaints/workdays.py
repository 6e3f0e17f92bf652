"""Deadlines in working days (Monday to Friday; public holidays are not known
to the site, so a deadline over a holiday is a day shorter than the law's)."""

from datetime import datetime, timedelta


def add_working_days(start: datetime, days: int) -> datetime:
    moment = start
    added = 0
    while added < days:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            added += 1
    return moment
