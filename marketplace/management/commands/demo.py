import signal
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from seeds.accounts import DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = (
        "Bring the demo site up: migrate, load the seed data and demo accounts, "
        "and serve on http://127.0.0.1:8000. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare everything but do not serve."
        )

    def handle(self, *args, addrport, no_serve, **options):
        if not settings.DEBUG:
            raise CommandError("The demo is for development only; run it with DEBUG=1.")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        # The seeded demo orders send their notifications like real ones; keep
        # them out of the terminal so the accounts below stay readable.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            call_command("load_seeds")
        accounts = create_demo_accounts()
        self.stdout.write(self.style.SUCCESS(f"\nDemo accounts (password: {DEMO_PASSWORD}):"))
        for username, what in accounts:
            self.stdout.write(f"  {username:<40} {what}")
        self.stdout.write(f"\nAdmin: http://{addrport}/admin/   Site: http://{addrport}/\n")
        if not no_serve:
            # Stop cleanly on TERM too, so the embedded PostgreSQL is shut down
            # by its exit handler rather than left running.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            call_command("runserver", addrport, use_reloader=False)
