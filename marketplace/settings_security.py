"""Part of marketplace.settings: passwords, login lockout, and the abuse limits
counted per session and per address."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from marketplace.settings_env import env

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
# Counted by core.security.client_key, like every per-address limit: an IPv6
# client by its /64, since one subscriber holds all of it.
AXES_CLIENT_IP_CALLABLE = "core.security.client_key"
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

# What is abusive, counted per shopper session and per client address in the
# database, so every worker and machine sees the same count
# (core/rate_limits.py). Addresses get more room than sessions: many
# honest shoppers share one carrier-grade NAT address on mobile networks.
# An IPv6 client is counted by this network (one subscriber's /64, RFC 6177),
# an IPv4 one by its address (core.security.address_key).
CLIENT_IPV6_PREFIX = env.int("CLIENT_IPV6_PREFIX", default=64)
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
    # "Pesanan saya" sign-in codes asked for, per hour (every request counts;
    # myorders.codes also allows 3 per phone per hour, whoever asks).
    "mine_code": {
        "per_session": env.int("RATE_LIMIT_MINE_CODE_SESSION", default=3),
        "per_address": env.int("RATE_LIMIT_MINE_CODE", default=10),
        "window": 3600,
    },
    # Sign-in codes typed, per 10 minutes, as the tracking form's guesses
    # (a right code is given back; 5 tries per code, 10 wrong per phone an hour).
    "mine_verify": {
        "per_session": env.int("RATE_LIMIT_MINE_VERIFY_SESSION", default=10),
        "per_address": env.int("RATE_LIMIT_MINE_VERIFY", default=30),
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
    # Quote requests and the buyer's answers to quotes (quotes app), per hour.
    "quote": {
        "per_session": env.int("RATE_LIMIT_QUOTE_SESSION", default=10),
        "per_address": env.int("RATE_LIMIT_QUOTE", default=30),
        "window": 3600,
    },
}
