"""Every periodic job, scheduled by the queue engine (procrastinate), not cron.

One line per job: a name, a cron expression (five fields, or six with seconds
last) and the dotted path of a plain function that takes no argument. To add
one, add a line to PERIODIC_JOBS; every worker schedules it, and each run is
queued once however many workers there are (procrastinate keeps one defer per
job and tick in its own table).

Each job is a procrastinate task `periodic:<name>` on the "periodic" queue,
with `lock` (never two runs at once) and `queueing_lock` (never two waiting,
so a long outage does not leave a backlog of identical sweeps). A run that
raises is left failed in the admin with its error (core.queue_jobs); the next
tick runs it again. The functions must be safe to run again and in parallel
with their command (they are the same function).
"""

from __future__ import annotations

from django.utils.module_loading import import_string
from procrastinate import App, JobContext
from procrastinate.contrib.django import app as procrastinate_app

from core.queue_jobs import call_keeping_errors

# (name, cron in UTC, dotted path of a function called with no argument)
PERIODIC_JOBS: list[tuple[str, str, str]] = [
    # Ask the gateway about every payment left unfinished: an answer never
    # recorded, a notification not applied, a deadline near or past, a refused
    # expire (`reconcile_payments`, docs/payments-recovery.md). Before expiry.
    ("payments_reconcile", "*/5 * * * *", "orders.payments.services.payments_reconcile"),
    # Unpaid orders past their deadline give their stock back (`expire_orders`).
    ("expire_orders", "*/5 * * * *", "orders.services.order_expire_due"),
    # Unanswered complaints go to the Kanwil, answers left alone close (`escalate_complaints`).
    ("escalate_complaints", "7 * * * *", "complaints.services.complaints_sweep_deadlines"),
    # Courier tracking when a webhook was missed (`poll_tracking`).
    ("poll_tracking", "17 * * * *", "orders.tasks.tracking_poll_all"),
    # Courier bookings left half done, resis still pending, cancels not yet
    # sent (`sweep_courier_bookings`, docs/courier-bookings.md).
    ("courier_bookings_sweep", "*/5 * * * *", "orders.delivery.bookings.bookings_sweep"),
    # Yesterday's books per facility, 01:00 WIB; differences logged and on
    # head office's page (`check_books`, docs/books.md).
    ("books_check", "0 18 * * *", "oversight.books.books_check_daily"),
    # Staff told of new urgent work in their inbox, and the morning digest at
    # 07:00 WIB, each by the channels the person chose (docs/inbox.md).
    ("staff_alerts", "*/15 * * * *", "notifications.staff_alerts.staff_alerts_sweep"),
    ("staff_digest", "0 0 * * *", "notifications.staff_alerts.staff_digest_queue_all"),
    # Shopper data past retention, expired sessions, deletion requests that
    # waited for what was owed (`apply_retention`), at night (WIB).
    ("apply_retention", "30 19 * * *", "orders.privacy.retention.retention_apply"),
    # Stand volunteers' logins whose event ended are switched off, 00:00 WIB
    # (refused already at once by stand.access; docs/stand-till.md).
    ("stand_volunteers_expire", "0 17 * * *", "stand.services.volunteers_expire"),
    # Cart holds not renewed for CART_HOLD_MINUTES give their units back
    # (`holds_expire`, catalog/stock_holds.py).
    ("stock_holds_expire", "* * * * *", "catalog.stock_holds.holds_expire"),
    # Edge purges that failed (the shared HTTP cache was down), sent again
    # (`edge_purges_retry`, docs/edge-cache.md).
    ("edge_purges_retry", "* * * * *", "core.edge_purge.edge_purges_retry"),
    # Finished jobs older than 30 days leave the queue's table.
    ("queue_prune", "45 19 * * *", "core.queue_status.jobs_prune_finished"),
]


def _runner(path: str):
    def run(context: JobContext, timestamp: int) -> None:
        # `timestamp` is the tick procrastinate scheduled this run for.
        call_keeping_errors(context, path, import_string(path))

    return run


def periodic_jobs_register(app: App) -> None:
    """Register PERIODIC_JOBS with the procrastinate app."""
    for job_name, cron, path in PERIODIC_JOBS:
        name = f"periodic:{job_name}"
        task = app.task(
            name=name, pass_context=True, queue="periodic", lock=name, queueing_lock=name
        )(_runner(path))
        app.periodic(cron=cron, periodic_id=job_name)(task)


# The worker imports this module (PROCRASTINATE_IMPORT_PATHS) once its app is ready.
periodic_jobs_register(procrastinate_app)
