"""Fill a database with national-scale data for the benchmark (see bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kb_scale \\
        python manage.py generate_scale_data --products 100000 --orders 1000000

Deterministic from --seed. Meant for a dedicated database: it refuses to run
on one that already has facilities or products unless --wipe is given.
"""

import resource
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seeds import scale


class Command(BaseCommand):
    help = "Generate national-scale facilities, products, photos and orders (deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20261101)
        parser.add_argument("--products", type=int, default=100_000)
        parser.add_argument("--facilities", type=int, default=500)
        parser.add_argument("--orders", type=int, default=0)
        parser.add_argument(
            "--images", type=int, default=scale.IMAGE_SET_SIZE, help="Shared photos to draw."
        )
        parser.add_argument(
            "--wipe",
            action="store_true",
            help="Empty regions, facilities, categories, products and orders first.",
        )

    def handle(self, *args, **options):
        if options["products"] < 1:
            raise CommandError("--products must be at least 1.")
        started = time.perf_counter()
        if options["wipe"]:
            scale.wipe()
            self.stdout.write("wiped")
        try:
            summary = scale.generate(
                seed=options["seed"],
                products=options["products"],
                facilities=options["facilities"],
                orders=options["orders"],
                images=options["images"],
                media_root=Path(settings.MEDIA_ROOT),
                log=lambda message: self.stdout.write(
                    f"[{time.perf_counter() - started:6.1f}s] {message}"
                ),
            )
        except scale.ScaleDataError as exc:
            raise CommandError(str(exc)) from exc
        for label, count in summary.counts.items():
            self.stdout.write(f"{label}: {count}")
        for label, seconds in summary.seconds.items():
            self.stdout.write(f"time {label}: {seconds} s")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"total {time.perf_counter() - started:.1f} s, peak RSS {peak_mb:.0f} MB")
