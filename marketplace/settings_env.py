"""The environment marketplace.settings reads, once: each variable with its type
and default, and the values every other settings module derives from."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, DEV_SECRET_KEY),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    EMAIL_URL=(str, "consolemail://"),
    MEDIA_ROOT=(str, str(BASE_DIR / "media")),
    CACHE_URL=(str, "locmemcache://"),
    CONN_MAX_AGE=(int, 60),
    PUBLIC_PAGE_CACHE_SECONDS=(int, 60),
    # The shared HTTP caches in front of the app (Varnish), purged by tag after
    # each write that retires public pages; empty: no purges (core/edge_purge.py).
    EDGE_PURGE_URLS=(list, []),
    EDGE_PURGE_TIMEOUT_SECONDS=(float, 0.5),
    # How long the shared HTTP cache keeps a public page (s-maxage); 0: as
    # long as the page cache (PUBLIC_PAGE_CACHE_SECONDS). Writes purge it sooner.
    EDGE_CACHE_SECONDS=(int, 0),
    # "+ Keranjang" holds the units for this long (catalog/stock_holds.py);
    # each visit to the cart or checkout renews it.
    CART_HOLD_MINUTES=(int, 15),
    # The checkout's waiting room (orders/checkout_gate.py): at most this many
    # shoppers a second are let into the checkout form; 0 lets everyone in.
    CHECKOUT_ADMISSIONS_PER_SECOND=(int, 0),
    PRIVATE_MEDIA_X_ACCEL=(bool, False),
    # Off only in the failure drill's control run (tests/drills), to show what it guards.
    CONN_HEALTH_CHECKS=(bool, True),
    DEFAULT_FROM_EMAIL=(str, "Karya Binaan <noreply@karyabinaan.id>"),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    MAX_REQUEST_BODY_MB=(int, 15),
    AXES_FAILURE_LIMIT=(int, 5),
    AXES_COOLOFF_MINUTES=(int, 30),
    DATABASE_REPLICA_URL=(str, ""),
    REPLICA_PIN_SECONDS=(int, 10),
    AWS_STORAGE_BUCKET_NAME=(str, ""),
    PRIVACY_RETENTION_DAYS=(int, 730),
    PRIVACY_OTP_BY_EMAIL=(bool, True),
    PRIVACY_CONTACT_EMAIL=(str, "privasi@karyabinaan.id"),
    # Background tasks: "database" (the procrastinate queue on PostgreSQL, run by
    # `manage.py procrastinate worker`) or "immediate" (run inside the request;
    # tests and one-off scripts).
    TASKS_BACKEND=(str, "database"),
    # A worker without a heartbeat for this long is dead; its jobs run again
    # (core/queue_jobs.py). Heartbeats every third of it.
    QUEUE_STALLED_SECONDS=(float, 30.0),
    # When the dead workers' jobs are looked for (cron, six fields = seconds last);
    # empty switches it off (the kill drill's control only).
    QUEUE_STALLED_SWEEP_CRON=(str, "* * * * *"),
    # Payment gateway (Midtrans Core API). No server key: the local simulator
    # answers under DEBUG, and without DEBUG the gateway is not offered.
    MIDTRANS_SERVER_KEY=(str, ""),
    MIDTRANS_BASE_URL=(str, ""),
    MIDTRANS_IS_PRODUCTION=(bool, False),
    MIDTRANS_TIMEOUT_SECONDS=(float, 8.0),
    MIDTRANS_SIMULATOR_DELAY_SECONDS=(float, 0.0),
    MIDTRANS_SIMULATOR_DROP_NOTIFICATIONS=(bool, False),
    BITESHIP_API_KEY=(str, ""),
    BITESHIP_BASE_URL=(str, ""),
    BITESHIP_WEBHOOK_SECRET=(str, ""),
    BITESHIP_WEBHOOK_HEADER=(str, "X-Biteship-Secret"),
    BITESHIP_TIMEOUT_SECONDS=(float, 4.0),
    BITESHIP_RATES_CACHE_SECONDS=(int, 6 * 3600),
    GATEWAY_PAYMENT_MINUTES=(int, 60),
    # WhatsApp Business Cloud API (notifications/). No token: simulator under
    # DEBUG, WhatsApp not used otherwise (mail only).
    WHATSAPP_TOKEN=(str, ""),
    WHATSAPP_PHONE_NUMBER_ID=(str, ""),
    WHATSAPP_APP_SECRET=(str, ""),
    WHATSAPP_VERIFY_TOKEN=(str, ""),
    WHATSAPP_API_BASE_URL=(str, ""),
    # Meta's current Graph API version (v21.0 is retired on 2027-01-21); the
    # deploy check warns 60 days before its end (notifications/graph_versions.py).
    WHATSAPP_API_VERSION=(str, "v26.0"),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a private value when DEBUG is off "
        "(for development, set DEBUG=1 or run through manage.py)."
    )
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL").rstrip("/")
