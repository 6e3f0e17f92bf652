"""Part of marketplace.settings: background tasks and the outside services
(payment gateway, courier aggregator, WhatsApp), each with its local simulator
under DEBUG when no key is set."""

from marketplace.settings_env import DEBUG, SITE_URL, env

# Background work on Django's tasks API (django-tasks): mail, payment
# notifications, refunds. Production runs it on procrastinate (PostgreSQL):
# core/queue_backend.py turns each `task.enqueue()` into a procrastinate job and
# `manage.py procrastinate worker` runs them (the demo starts one beside the
# server). See docs/queue.md.
TASKS = {
    "default": (
        {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        if env("TASKS_BACKEND") == "immediate"
        else {"BACKEND": "core.queue_backend.ProcrastinateBackend", "QUEUES": ["default"]}
    )
}
# The apps' tasks.py are django-tasks modules, not procrastinate's: the worker
# imports only the queue's own tasks and the periodic jobs.
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = ""
PROCRASTINATE_IMPORT_PATHS = ["core.queue_jobs", "marketplace.periodic"]
QUEUE_STALLED_SECONDS = env("QUEUE_STALLED_SECONDS")
QUEUE_STALLED_SWEEP_CRON = env("QUEUE_STALLED_SWEEP_CRON")
# /healthz?detail=1 answers 503 when the oldest due job has waited longer.
QUEUE_LAG_ALERT_SECONDS = 300
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": QUEUE_STALLED_SECONDS / 3,
    "stalled_worker_timeout": QUEUE_STALLED_SECONDS,
}

# Payment gateway: Midtrans Core API (orders/payments/midtrans.py). Keys come from the
# environment only. Without a server key, DEBUG runs the local simulator
# (gatewaysim/) under /_simulator/midtrans, which speaks the same API and signs
# its notifications with the simulator key below.
MIDTRANS_SIMULATOR_KEY = "SB-Mid-server-LOCAL-SIMULATOR"
MIDTRANS_SIMULATOR = DEBUG and not env("MIDTRANS_SERVER_KEY")
MIDTRANS_SERVER_KEY = env("MIDTRANS_SERVER_KEY") or (
    MIDTRANS_SIMULATOR_KEY if MIDTRANS_SIMULATOR else ""
)
MIDTRANS_BASE_URL = (
    env("MIDTRANS_BASE_URL")
    or (SITE_URL + "/_simulator/midtrans" if MIDTRANS_SIMULATOR else "")
    or (
        "https://api.midtrans.com"
        if env("MIDTRANS_IS_PRODUCTION")
        else "https://api.sandbox.midtrans.com"
    )
).rstrip("/")
MIDTRANS_TIMEOUT_SECONDS = env("MIDTRANS_TIMEOUT_SECONDS")
# The simulator's fault switches, for the drills (docs/payments-recovery.md):
# answer a charge this many seconds after making it, and lose notifications.
MIDTRANS_SIMULATOR_DELAY_SECONDS = env("MIDTRANS_SIMULATOR_DELAY_SECONDS")
MIDTRANS_SIMULATOR_DROP_NOTIFICATIONS = env("MIDTRANS_SIMULATOR_DROP_NOTIFICATIONS")
# Courier rates, bookings and tracking: Biteship (shipping/biteship.py). With a
# key the real API; DEBUG without one runs the local simulator (gatewaysim/
# biteship*.py) under /_simulator/biteship; DEBUG off without a key offers no
# aggregator at all: the facilities' own rate tables price courier delivery.
BITESHIP_SIMULATOR_KEY = "biteship_test.LOCAL-SIMULATOR"
BITESHIP_SIMULATOR = DEBUG and not env("BITESHIP_API_KEY")
BITESHIP_API_KEY = env("BITESHIP_API_KEY") or (BITESHIP_SIMULATOR_KEY if BITESHIP_SIMULATOR else "")
BITESHIP_BASE_URL = (
    env("BITESHIP_BASE_URL")
    or (SITE_URL + "/_simulator/biteship" if BITESHIP_SIMULATOR else "https://api.biteship.com")
).rstrip("/")
BITESHIP_WEBHOOK_HEADER = env("BITESHIP_WEBHOOK_HEADER")
BITESHIP_WEBHOOK_SECRET = env("BITESHIP_WEBHOOK_SECRET") or (
    "LOCAL-SIMULATOR-WEBHOOK-SECRET" if BITESHIP_SIMULATOR else ""
)
BITESHIP_TIMEOUT_SECONDS = env("BITESHIP_TIMEOUT_SECONDS")
BITESHIP_RATES_CACHE_SECONDS = env("BITESHIP_RATES_CACHE_SECONDS")
# Days after the courier's "delivered" before the order completes by itself.
DELIVERED_COMPLETES_AFTER_DAYS = 0

# How long a QRIS / virtual account / e-wallet charge stays payable (capped by
# the orders' own payment deadline).
GATEWAY_PAYMENT_MINUTES = env("GATEWAY_PAYMENT_MINUTES")

# WhatsApp Business Cloud API (notifications/whatsapp.py). Without a token,
# DEBUG talks to the local simulator (gatewaysim/whatsapp*.py) under
# /_simulator/whatsapp; without DEBUG WhatsApp is not used and mail is all.
WHATSAPP_SIMULATOR = DEBUG and not env("WHATSAPP_TOKEN")
WHATSAPP_SIMULATOR_TOKEN = "LOCAL-WHATSAPP-SIMULATOR-TOKEN"
WHATSAPP_TOKEN = env("WHATSAPP_TOKEN") or (WHATSAPP_SIMULATOR_TOKEN if WHATSAPP_SIMULATOR else "")
WHATSAPP_PHONE_NUMBER_ID = env("WHATSAPP_PHONE_NUMBER_ID") or (
    "100000000000001" if WHATSAPP_SIMULATOR else ""
)
WHATSAPP_APP_SECRET = env("WHATSAPP_APP_SECRET") or (
    "local-whatsapp-app-secret" if WHATSAPP_SIMULATOR else ""
)
WHATSAPP_VERIFY_TOKEN = env("WHATSAPP_VERIFY_TOKEN")
WHATSAPP_API_VERSION = env("WHATSAPP_API_VERSION")
WHATSAPP_API_BASE_URL = (
    env("WHATSAPP_API_BASE_URL")
    or (SITE_URL + "/_simulator/whatsapp" if WHATSAPP_SIMULATOR else "")
    or ("https://graph.facebook.com" if env("WHATSAPP_TOKEN") else "")
).rstrip("/")
