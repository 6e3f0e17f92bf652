"""The production gunicorn configuration.

    gunicorn -c marketplace/gunicorn_conf.py marketplace.wsgi

Sized for the 2-core machine that runs app and PostgreSQL together. Every value
can be overridden from the environment (names below), so a bigger server
changes numbers, not this file. The benchmark (bench/) runs the site with this
file, so its figures are what production gets.

Why these defaults:
- gthread workers: a request spends much of its time waiting on PostgreSQL, and
  threads let one process overlap those waits without the memory of more
  processes; they also keep HTTP connections alive, which sync workers do not.
- workers = cores + 1, threads = 4: enough concurrency to keep two cores busy
  (PostgreSQL shares them), few enough database connections (workers x threads,
  each kept for CONN_MAX_AGE seconds) for a default max_connections of 100.
- max_requests with jitter: a worker is replaced now and then, so a slow leak
  cannot grow into an out-of-memory kill, and never all workers at once.
- bind 127.0.0.1:8000: nginx on the same host is the only way in, so no
  client reaches the app without the proxy that writes X-Forwarded-For.
- preload_app: the code is imported once and shared copy-on-write by workers.
  Django opens no database connection at import, so none is shared by fork.
  `when_ready` also compiles the templates there, before the first fork, so a
  worker replaced by max_requests starts warm (core/warmup.py).

This file is configuration for gunicorn, not application code, so it reads the
environment directly (the application's settings stay in marketplace/settings.py).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


_cores = multiprocessing.cpu_count()

# Loopback unless told otherwise: nginx on this host is the way in. Reachable
# from other machines, gunicorn would let clients skip the proxy (and its
# X-Forwarded-For, which the app trusts only from TRUSTED_PROXIES anyway).
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# WEB_CONCURRENCY is the name most platforms set for the worker count.
workers = _int("WEB_CONCURRENCY", _cores + 1)
threads = _int("GUNICORN_THREADS", 4)
# Requests waiting for a worker thread; beyond this the kernel refuses them.
backlog = _int("GUNICORN_BACKLOG", 2048)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") not in ("0", "false", "no")
# Behind a reverse proxy on the same host; set to its address if it is elsewhere.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access logs off by default (the proxy logs requests); "-" sends them to stdout.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Worker heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = os.environ.get(
    "GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else None
)
proc_name = "karyabinaan"
# No control socket: nothing here uses `gunicornc`, and a fixed socket path
# would clash between two instances on one host.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET", "") in ("", "0")


def when_ready(server):
    """In the master, after the app is loaded and before the first fork:
    templates compiled and translations loaded once for every worker, then
    frozen out of the collector's reach (core/warmup.py says why)."""
    if preload_app:
        from core.warmup import warm_up

        server.log.info("Warmed up %d templates before forking", warm_up())
