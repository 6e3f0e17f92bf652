"""Production settings: marketplace.settings plus HTTPS and the proxy in front.

    DJANGO_SETTINGS_MODULE=marketplace.settings_production

Everything else still comes from the environment (docs/operations.md). With
the documented environment this passes
`manage.py check --deploy --fail-level WARNING`, which CI runs.
"""

from django.core.exceptions import ImproperlyConfigured

from marketplace.settings import *  # noqa: F403
from marketplace.settings import DEBUG, env

if DEBUG:
    raise ImproperlyConfigured("marketplace.settings_production needs DEBUG off.")

# nginx terminates TLS and says so in X-Forwarded-Proto (which it overwrites,
# so a client cannot forge it).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# The proxies whose X-Forwarded-For is believed for the client's address
# (rate limits, tracking guesses, django-axes lockouts): by default an nginx
# on this host. A client reaching gunicorn any other way is counted by its own
# address, whatever it writes in the header.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Lockouts and failed admin logins are worth seeing.
        "axes": {"level": "INFO"},
        # Mail that could not be sent, 5xx with their tracebacks.
        "django.request": {"level": "ERROR"},
    },
}
