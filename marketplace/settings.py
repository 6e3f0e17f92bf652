"""Settings for Karya Binaan. Every value the environment may change is read once, in
marketplace/settings_env.py; this module gathers the groups (marketplace/settings_*.py)."""

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The environment is read once, in marketplace/settings_env.py (with the values
# derived from it: DEBUG, SECRET_KEY, hosts, SITE_URL); groups of settings live
# in marketplace/settings_*.py, imported whole so `marketplace.settings` stays the one
# settings module.
from marketplace.settings_env import *  # noqa: F403
from marketplace.settings_env import BASE_DIR, DEBUG, env
from marketplace.settings_outside import *  # noqa: F403  tasks, gateway, couriers, WhatsApp
from marketplace.settings_security import *  # noqa: F403  passwords, lockout, rate limits

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
    # The queue engine behind django-tasks (core/queue_backend.py, docs/queue.md).
    "marketplace.apps.QueueEngineConfig",  # procrastinate.contrib.django, named in Indonesian
    # Bottom to top, as the import contract (pyproject, `lint-imports`) layers them.
    "core",
    "regions",
    "facilities",
    "catalog",
    "orders",
    "reviews",
    "complaints",
    "quotes",
    "proceeds",
    "bapas",
    "oversight",
    "gatewaysim",
    "myorders",
    "stand",
    "partners",
    "notifications",
    "marketplace",
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
    # Private unless public (shared pages); the cookies shared pages' script reads.
    "core.edge.EdgeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After sessions and messages: its 429 page is a normal page of the site.
    "core.middleware.PostRateLimitMiddleware",
    # Inside CSPMiddleware, so the stricter policy it sets on uploaded files stands.
    "core.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

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

# PostgreSQL only: the server named by DATABASE_URL, else (development only:
# DEBUG on, the README's two commands) the embedded one. A server with DEBUG off
# and no DATABASE_URL refuses to start: it must never keep orders in a private
# database inside the checkout (marketplace/embedded_db.py).
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from marketplace.embedded_db import embedded_database_config, refuse_without_debug

    refuse_without_debug(DEBUG)
    DATABASES = {"default": embedded_database_config(BASE_DIR)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Karya Binaan runs on PostgreSQL only.")
# Persistent connections, checked before reuse, so a database restart costs one
# failed request per connection rather than a dead site.
DATABASES["default"]["CONN_MAX_AGE"] = env("CONN_MAX_AGE")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env("CONN_HEALTH_CHECKS")
# Bigger deployments: storefront reads from a streaming replica, writes (and the
# reads of whoever just wrote) on the primary. See marketplace/db_router.py.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = env("CONN_MAX_AGE")
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # A replica that is down must fail fast: reads then go to the primary.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # Tests run against the primary only; the replica mirrors it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["marketplace.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("core.middleware.RequestSizeLimitMiddleware") + 1,
        "marketplace.db_router.PinToPrimaryMiddleware",
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
# Edge caches purged by tag after each public write (core/edge_purge.py); [] = off.
EDGE_PURGE_URLS = env("EDGE_PURGE_URLS")
EDGE_PURGE_TIMEOUT_SECONDS = env("EDGE_PURGE_TIMEOUT_SECONDS")
EDGE_CACHE_SECONDS = env("EDGE_CACHE_SECONDS")
CART_HOLD_MINUTES = env("CART_HOLD_MINUTES")
CHECKOUT_ADMISSIONS_PER_SECOND = env("CHECKOUT_ADMISSIONS_PER_SECOND")
vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")

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
# Institutional buyers (quotes app): days a pay-before order made from an
# accepted quote waits for the transfer before it expires, and the validity a
# new quote is prefilled with.
QUOTE_PAYMENT_DAYS = env.int("QUOTE_PAYMENT_DAYS", default=7)
QUOTE_VALID_DAYS = env.int("QUOTE_VALID_DAYS", default=14)
# Days a buyer may choose for "needed by" at the latest (a year ahead).
QUOTE_MAX_LEAD_DAYS = env.int("QUOTE_MAX_LEAD_DAYS", default=365)
# Days after delivery a facility may offer for payment on terms (at most).
QUOTE_MAX_TERMS_DAYS = env.int("QUOTE_MAX_TERMS_DAYS", default=60)
# Days after an order is completed during which its lines may be reviewed.
REVIEW_WINDOW_DAYS = env.int("REVIEW_WINDOW_DAYS", default=30)
# Complaints (complaints app; the terms page states both): days after
# shipping/completion a shopper may complain or ask to return/exchange goods
# not as described (PP 80/2019 art. 53 asks for at least 2 working days), and
# working days (Mon-Fri except public holidays and cuti bersama, complaints/workdays.py) the
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

# Privacy (UU PDP 27/2022; docs/privacy.md). Shopper data of an order is
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
