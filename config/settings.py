"""Settings for Karya Binaan. Every value the environment may change is read here, once."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

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
    # Background tasks: "database" (django-tasks-db, run by `manage.py db_worker`)
    # or "immediate" (run inside the request; tests and one-off scripts).
    TASKS_BACKEND=(str, "database"),
    # Payment gateway (Midtrans Core API). No server key: the local simulator
    # answers under DEBUG, and without DEBUG the gateway is not offered.
    MIDTRANS_SERVER_KEY=(str, ""),
    MIDTRANS_BASE_URL=(str, ""),
    MIDTRANS_IS_PRODUCTION=(bool, False),
    MIDTRANS_TIMEOUT_SECONDS=(float, 8.0),
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
    WHATSAPP_API_VERSION=(str, "v21.0"),
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

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Bottom to top, as the import contract (pyproject, `lint-imports`) layers them.
    "core",
    "regions",
    "facilities",
    "catalog",
    "orders",
    "reviews",
    "complaints",
    "oversight",
    "gatewaysim",
    "notifications",
    "config",
]

MIDDLEWARE = [
    # First: everything after it sees the client's address, not the proxy's.
    "core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Refuse oversized bodies before anything reads them.
    "core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # NUL in a parameter would reach PostgreSQL as a 500; answer 400 up front.
    "core.middleware.RejectNullBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Indonesian unless the shopper chose English (not Accept-Language).
    "core.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After sessions and messages: its 429 page is a normal page of the site.
    "core.middleware.PostRateLimitMiddleware",
    # Inside CSPMiddleware, so the stricter policy it sets on uploaded files stands.
    "core.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "orders.context_processors.cart",
            ],
        },
    },
]

# PostgreSQL only: the server named by DATABASE_URL, else the embedded one.
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from config.embedded_db import embedded_database_config

    DATABASES = {"default": embedded_database_config(BASE_DIR)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Karya Binaan runs on PostgreSQL only.")
# Persistent connections, checked before reuse, so a database restart costs one
# failed request per connection rather than a dead site.
DATABASES["default"]["CONN_MAX_AGE"] = env("CONN_MAX_AGE")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env("CONN_HEALTH_CHECKS")
# Bigger deployments: storefront reads from a streaming replica, writes (and the
# reads of whoever just wrote) on the primary. See config/db_router.py.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = env("CONN_MAX_AGE")
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests run against the primary only; the replica mirrors it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("core.middleware.RequestSizeLimitMiddleware") + 1,
        "config.db_router.PinToPrimaryMiddleware",
    )
REPLICA_PIN_SECONDS = env("REPLICA_PIN_SECONDS")

CACHES = {"default": env.cache("CACHE_URL")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # One redis client per pool, not one per call (core/redis_cache.py).
    CACHES["default"]["BACKEND"] = "core.redis_cache.SharedClientRedisCache"
# Caches that each process (or each machine) keeps for itself: fine for public
# pages, wrong for anything all workers must agree on (see SESSION_ENGINE).
PER_PROCESS_CACHES = ("LocMemCache", "DummyCache", "FileBasedCache")
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Room for a few thousand compressed public pages (~10 KB each) per process.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 3000)
# Anonymous shoppers' public pages, shared (core/page_cache.py); 0 = off.
PUBLIC_PAGE_CACHE_SECONDS = env("PUBLIC_PAGE_CACHE_SECONDS")
vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")

# Argon2 (memory-hard) for new and re-hashed passwords; the others still verify
# older hashes, which Django upgrades to Argon2 at the next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes counts failed logins (admin included) and locks the username from
# that address out for a while; see core/security.py for why the first
# backend is ours.
AUTHENTICATION_BACKENDS = [
    "core.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are counted in PostgreSQL, so every worker and machine sees
# them (axes' cache handler would count per process on the default cache).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env("AXES_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=env("AXES_COOLOFF_MINUTES"))
# Username and address together: a guesser is stopped, but nobody can lock a
# facility's staff out of their account from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_COOLOFF_MESSAGE = _(
    "Akun dikunci sementara karena terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."
)
AXES_PERMALOCK_MESSAGE = AXES_COOLOFF_MESSAGE

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": (
        # Bigger deployments: media on S3-compatible object storage (pip install
        # ".[s3]"); django-storages reads its AWS_* settings below.
        {"BACKEND": "storages.backends.s3.S3Storage"}
        if env("AWS_STORAGE_BUCKET_NAME")
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env("MEDIA_ROOT")
# Receipts (core/private_media.py): nginx sends them when a staff view
# says X-Accel-Redirect; off, Django streams them.
PRIVATE_MEDIA_X_ACCEL = env("PRIVATE_MEDIA_X_ACCEL")
if env("AWS_STORAGE_BUCKET_NAME"):
    AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_DEFAULT_ACL = None  # the bucket's policy decides; objects are never public-write
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    # Served with the same headers nginx gives local media: no sniffing, no script.
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
# Uploads larger than this go to a temporary file, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Whole request bodies above this are refused with 413 before they are read
# (core/middleware.py); nginx's client_max_body_size should match.
MAX_REQUEST_BODY_SIZE = env("MAX_REQUEST_BODY_MB") * 1024 * 1024
# Photos and receipts each process decodes at once (core/images.py): the
# rest wait, so a worker's memory is one decode's worth, not one per thread.
IMAGE_DECODE_SLOTS = env.int("IMAGE_DECODE_SLOTS", default=1)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
# What is abusive, counted per shopper session and per client address in the
# database, so every worker and machine sees the same count
# (core/rate_limits.py). Addresses get more room than sessions: many
# honest shoppers share one carrier-grade NAT address on mobile networks.
RATE_LIMITS = {
    # Placed checkouts (not previews, not refused forms), per 10 minutes.
    "checkout": {
        "per_session": env.int("RATE_LIMIT_CHECKOUT_SESSION", default=5),
        "per_address": env.int("RATE_LIMIT_CHECKOUT", default=20),
        "window": 600,
    },
    # Tracking lookups that matched no order, per 10 minutes.
    "track": {
        "per_session": env.int("RATE_LIMIT_TRACK_SESSION", default=10),
        "per_address": env.int("RATE_LIMIT_TRACK", default=30),
        "window": 600,
    },
    # Receipt uploads, per hour: every POST counts, since each one is read and
    # checked before the view knows whether it was any good.
    "receipt": {
        "per_session": env.int("RATE_LIMIT_RECEIPT_SESSION", default=10),
        "per_address": env.int("RATE_LIMIT_RECEIPT", default=30),
        "window": 3600,
    },
    # Review submissions, per hour (every POST counts).
    "review": {
        "per_session": env.int("RATE_LIMIT_REVIEW_SESSION", default=10),
        "per_address": env.int("RATE_LIMIT_REVIEW", default=30),
        "window": 3600,
    },
    # Complaint posts from the tracking page (open, accept, dispute), per hour.
    "complaint": {
        "per_session": env.int("RATE_LIMIT_COMPLAINT_SESSION", default=10),
        "per_address": env.int("RATE_LIMIT_COMPLAINT", default=30),
        "window": 3600,
    },
}
# Days after an order is completed during which its lines may be reviewed.
REVIEW_WINDOW_DAYS = env.int("REVIEW_WINDOW_DAYS", default=30)
# Complaints (complaints app; the terms page states both): days after
# shipping/completion a shopper may complain or ask to return/exchange goods
# not as described (PP 80/2019 art. 53 asks for at least 2 working days), and
# working days (Mon-Fri except public holidays, complaints/workdays.py) the
# facility has to answer before the Kanwil decides, and working days the shopper
# has to accept or dispute an answer before it stands and the complaint closes.
COMPLAINT_WINDOW_DAYS = env.int("COMPLAINT_WINDOW_DAYS", default=7)
COMPLAINT_ANSWER_DAYS = env.int("COMPLAINT_ANSWER_DAYS", default=3)
COMPLAINT_CLOSE_DAYS = env.int("COMPLAINT_CLOSE_DAYS", default=5)
# POSTs counted by core.middleware.PostRateLimitMiddleware before the view runs.
POST_RATE_LIMITS = [(r"^/lacak/[^/]+/bukti/$", "receipt")]
# Addresses (or networks) of the reverse proxies whose X-Forwarded-For is
# believed (core.security.client_ip); from anyone else it is ignored.
# None in development; settings_production trusts an nginx on the same host.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
DATA_UPLOAD_MAX_NUMBER_FILES = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "admin:login"

# Sessions hold carts, checkouts a browser may open and flash messages that do
# not fit the cookie: every worker must read the same copy. A cache-backed
# session only works on a cache every worker shares; with the default
# per-process cache each worker would keep its own, and carts would show
# whichever lines that worker last saw. So: database sessions unless a shared
# cache is configured (then cached_db: read from the cache, written to both).
CACHE_IS_SHARED = not CACHES["default"]["BACKEND"].endswith(PER_PROCESS_CACHES)
SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "cache": "django.contrib.sessions.backends.cache",
}
_session_store = env.str("SESSION_ENGINE", default="") or ("cached_db" if CACHE_IS_SHARED else "db")
if _session_store not in SESSION_ENGINES:
    raise ImproperlyConfigured(
        f"SESSION_ENGINE={_session_store!r}: use one of {', '.join(SESSION_ENGINES)}."
    )
SESSION_ENGINE = SESSION_ENGINES[_session_store]
if _session_store != "db" and not CACHE_IS_SHARED and not DEBUG:
    # Development (DEBUG, one runserver process) may try it; a production
    # start must not, because several gunicorn workers would each keep
    # their own sessions.
    raise ImproperlyConfigured(
        f"SESSION_ENGINE={_session_store} keeps sessions in the cache, but CACHE_URL "
        f"({env('CACHE_URL')}) is a cache each process keeps for itself: every "
        "gunicorn worker would see its own carts. Set CACHE_URL to a cache all "
        "workers share (redis://host:6379/1) or leave SESSION_ENGINE unset "
        "(database sessions)."
    )
# Sessions hold carts and the order codes a browser may open: two weeks after
# the last change they expire, and apply_retention deletes the expired rows.
SESSION_COOKIE_AGE = 14 * 24 * 3600

# Privacy (UU PDP 27/2022; README "Privacy"). Shopper data of an order is
# anonymised this many days after the order ended (completed, cancelled,
# expired); the amounts, dates, facility, products and province stay.
PRIVACY_RETENTION_DAYS = env("PRIVACY_RETENTION_DAYS")
# Send a one-time code by mail before a shopper downloads, corrects or deletes
# data of an order that has an email address.
PRIVACY_OTP_BY_EMAIL = env("PRIVACY_OTP_BY_EMAIL")
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp) on every page: scripts and styles only
# from our own files, never inline, so injected markup cannot run. Images may
# also come from the media host when media lives on object storage.
_media_origin = (
    [MEDIA_URL.split("/", 3)[0] + "//" + MEDIA_URL.split("/", 3)[2]]
    if MEDIA_URL.startswith(("https://", "http://"))
    else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *_media_origin],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# Sent on every response (core/middleware.py): the site needs none of these.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Background work on Django's tasks API (django-tasks): mail, payment
# notifications, refunds. The database backend keeps every task as a row the
# admin shows (Django Tasks → results), failed ones with their traceback;
# `manage.py db_worker` runs them (the demo starts one beside the server).
TASKS = {
    "default": (
        {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        if env("TASKS_BACKEND") == "immediate"
        else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    )
}

# Payment gateway: Midtrans Core API (orders/midtrans.py). Keys come from the
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
