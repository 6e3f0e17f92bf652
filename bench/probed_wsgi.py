"""The shop's WSGI application with a probe on the payment gateway's client,
for the flash sale (bench/flashsale.py, tests/drills/test_flash_sale.py).

    gunicorn -c marketplace/gunicorn_conf.py bench.probed_wsgi

Every call the gateway client makes (orders.payments.midtrans's
json_request) appends one JSON line to $FLASHSALE_PROBE_LOG: the URL's last
part (charge, status, expire), how many SELECT ... FOR UPDATE locks the
worker's database session held at that moment (RowShareLock rows in
pg_locks for its own backend, as tests/lock_probe.py counts them), whether
Django was inside an atomic block, and whether PostgreSQL had a transaction
open on that session. A charge must be made with none of the three.
The probe costs one small query per gateway call.

FLASHSALE_CONTROL=atomic_requests is the control: every request runs in one
transaction (Django's ATOMIC_REQUESTS, a common setting), so the charge is
asked for while the checkout still holds its products' row locks, which is
what checkout_submit's split (orders and intent committed, then the charge)
exists to prevent. FLASHSALE_CONTROL=no_sold_out_retire: the sale that sells
a product out leaves its pages in the page cache (catalog.stock's retire off),
as before the flash sale drill. Never set outside a drill.
"""

from __future__ import annotations

import json
import os
import threading
import time

from django.core.wsgi import get_wsgi_application

# As marketplace/wsgi.py (which the bench, a sibling layer, may not import).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
application = get_wsgi_application()

_log_path = os.environ.get("FLASHSALE_PROBE_LOG", "")
_write = threading.Lock()


def _session_state() -> dict:
    from django.db import connection

    state = {"row_locks": 0, "in_atomic": connection.in_atomic_block, "pg_in_transaction": False}
    if connection.connection is None:
        return state
    from psycopg.pq import TransactionStatus

    status = connection.connection.info.transaction_status
    state["pg_in_transaction"] = status != TransactionStatus.IDLE
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND mode = 'RowShareLock'"
        )
        state["row_locks"] = cursor.fetchone()[0]
    return state


def _install() -> None:
    from orders.payments import midtrans

    real = midtrans.json_request

    def probed(url, **kwargs):
        # Read before the call: what the session holds while the gateway works.
        record = {
            "call": url.rstrip("/").rsplit("/", 1)[-1],
            "pid": os.getpid(),
            **_session_state(),
        }
        record["at"] = time.time()
        try:
            return real(url, **kwargs)
        finally:
            record["seconds"] = round(time.time() - record["at"], 4)
            line = json.dumps(record) + "\n"
            with _write, open(_log_path, "a", encoding="utf-8") as out:
                out.write(line)

    midtrans.json_request = probed


def _control() -> None:
    from django.db import connections

    # The wrappers read their settings dict when created, per thread; set
    # before the first request, every one of them runs in one transaction.
    connections.settings["default"]["ATOMIC_REQUESTS"] = True


def _timed(app):
    """Each placing request's time inside the app (from the WSGI call to its
    answer), logged beside the gateway calls: the shopper's placing time less
    this is the wait before the app (the edge, gunicorn's queue)."""

    def timed(environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != "/checkout/":
            return app(environ, start_response)
        started, cpu = time.time(), time.thread_time()
        try:
            return app(environ, start_response)
        finally:
            record = {
                "call": "place request",
                "pid": os.getpid(),
                "at": started,
                "seconds": round(time.time() - started, 4),
                "thread_cpu_seconds": round(time.thread_time() - cpu, 4),
            }
            with _write, open(_log_path, "a", encoding="utf-8") as out:
                out.write(json.dumps(record) + "\n")

    return timed


if _log_path:
    _install()
    application = _timed(application)
if os.environ.get("FLASHSALE_CONTROL") == "atomic_requests":
    _control()
if os.environ.get("FLASHSALE_CONTROL") == "no_sold_out_retire":
    from catalog import stock

    stock.RETIRE_PAGES_ON_SELL_OUT = False
