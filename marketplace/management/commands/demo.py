import os
import signal
import subprocess
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
        # Official addresses (Kemendagri regions with kode pos): an idempotent upsert.
        call_command("load_regions")
        # The seeded demo orders send their notifications like real ones; keep
        # them out of the terminal so the accounts below stay readable.
        # Their mail tasks run at once, into memory, rather than waiting for the worker.
        # WhatsApp and the courier aggregator are off while seeding: their
        # simulators are served only once the site is up (the seeded orders
        # would leave messages queued for good and log refused connections);
        # seeded courier orders are priced by the facilities' rate tables.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            WHATSAPP_TOKEN="",
            BITESHIP_API_KEY="",
        ):
            call_command("load_seeds")
        accounts = create_demo_accounts()
        self.stdout.write(self.style.SUCCESS(f"\nDemo accounts (password: {DEMO_PASSWORD}):"))
        for username, what in accounts:
            self.stdout.write(f"  {username:<40} {what}")
        self.stdout.write(f"\nAdmin: http://{addrport}/admin/   Site: http://{addrport}/\n")
        if not no_serve:
            # Links in mail and the payment simulator's notifications point at
            # the address actually served.
            site_url = f"http://{addrport}"
            settings.SITE_URL = site_url
            if settings.MIDTRANS_SIMULATOR:
                settings.MIDTRANS_BASE_URL = site_url + "/_simulator/midtrans"
                self.stdout.write(
                    "Payments: local Midtrans simulator (pay with the link on the "
                    "confirmation page, or `python3 manage.py simulate_payment CODE`)."
                )
            if settings.BITESHIP_SIMULATOR:
                settings.BITESHIP_BASE_URL = site_url + "/_simulator/biteship"
                self.stdout.write(
                    "Couriers: local Biteship simulator (JNE, J&T, SiCepat, POS, AnterAja with "
                    "estimates at checkout; move a parcel on with "
                    "`python3 manage.py simulate_shipment RESI`)."
                )
            if settings.WHATSAPP_SIMULATOR:
                settings.WHATSAPP_API_BASE_URL = site_url + "/_simulator/whatsapp"
                self.stdout.write(
                    "WhatsApp: local simulator (order updates land in "
                    f"{site_url}/_simulator/whatsapp/inbox/<62...>/)."
                )
            worker = self._start_worker(site_url)
            # Stop cleanly on TERM too, so the embedded PostgreSQL is shut down
            # by its exit handler rather than left running.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def _start_worker(self, site_url: str) -> subprocess.Popen:
        """The queue's worker (procrastinate) as a child process: mail, payment
        notifications, refunds and the periodic jobs (marketplace/periodic.py:
        expiry, complaint deadlines, tracking polls, retention) run there, as
        in production."""
        env = {**os.environ, "SITE_URL": site_url, "DEBUG": "1"}
        if settings.MIDTRANS_SIMULATOR:
            env["MIDTRANS_BASE_URL"] = site_url + "/_simulator/midtrans"
        if settings.BITESHIP_SIMULATOR:
            env["BITESHIP_BASE_URL"] = site_url + "/_simulator/biteship"
        if settings.WHATSAPP_SIMULATOR:
            # The worker sends the WhatsApp messages: to the simulator served here.
            env["WHATSAPP_API_BASE_URL"] = site_url + "/_simulator/whatsapp"
        # Without DATABASE_URL the worker attaches to the same embedded
        # PostgreSQL (marketplace/embedded_db.py counts the processes using it).
        # The same command as production; a TERM lets it finish its job and
        # leave, so the embedded PostgreSQL learns that it left.
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker"],
            cwd=settings.BASE_DIR,
            env=env,
        )
        self.stdout.write(f"Background worker started (pid {worker.pid}).")
        return worker
