"""manage.py check_books [--day YYYY-MM-DD]: the daily books check in a terminal.

Exit status 0 when the day balances, 1 when there are differences (each
printed with what to do), so a cron line or CI step can alert on it.
"""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.money import format_rupiah
from oversight.books import books_check


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--day takes a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Check one day's books (default: yesterday, WIB): money received through the gateway = "
        "paid orders + refunds + money held for a person, and every gateway settlement matches "
        "one payment. Exits 1 when there are differences."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", type=_day, help="YYYY-MM-DD (default: yesterday)")

    def handle(self, *args, day=None, **options):
        day = day or timezone.localdate() - timedelta(days=1)
        result = books_check(day=day)
        for row in result.rows:
            self.stdout.write(
                f"{day} {row.facility}: diterima {format_rupiah(row.received)} = setoran "
                f"{format_rupiah(row.settled)} + dikembalikan {format_rupiah(row.refunded)} + "
                f"ditahan {format_rupiah(row.held)}"
            )
        if result.balanced:
            self.stdout.write(self.style.SUCCESS(f"{day}: pembukuan seimbang."))
            return
        for difference in result.differences:
            self.stdout.write(
                self.style.ERROR(f"[{difference.facility or 'gateway'}] {difference.problem}")
            )
            self.stdout.write(f"    → {difference.action}")
        raise CommandError(f"{day}: {len(result.differences)} selisih.", returncode=1)
