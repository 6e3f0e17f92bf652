"""Which WhatsApp (Meta Graph API) versions are still served, and a deploy
check that warns before the configured one is switched off.

Meta retires each Graph API version about two years after it ships; a call to a
retired version is answered with an error, so every WhatsApp message would
fail (and fall back to mail) from that day on. `manage.py check --deploy`
warns from END_WARNING_DAYS before the end, early enough to move
WHATSAPP_API_VERSION to a newer version on an ordinary release.

Source of END_OF_LIFE: Meta's "Graph API changelog / Versions" table
(https://developers.facebook.com/docs/graph-api/changelog/versions/), read
2026-12-07. None: Meta has not announced the end yet. When Meta ships a new
version, add its row (an unknown version is warned about too, so the table
cannot silently fall behind what a server is configured with).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core import checks
from django.utils import timezone

END_OF_LIFE: dict[str, date | None] = {
    "v26.0": None,  # released 2026-07-29
    "v25.0": date(2028, 7, 29),
    "v24.0": date(2028, 2, 18),
    "v23.0": date(2027, 10, 8),
    "v22.0": date(2027, 5, 20),
    "v21.0": date(2027, 1, 21),
    "v20.0": date(2026, 9, 24),
    "v19.0": date(2026, 5, 21),
    "v18.0": date(2026, 1, 26),
}
# Versions before these rows ended before this table was written.
END_WARNING_DAYS = 60


def version_warnings(version: str, today: date) -> list[checks.CheckMessage]:
    """The warnings for `version` on `today` (empty: nothing to do)."""
    hint = (
        "Set WHATSAPP_API_VERSION to a current version (Meta's Graph API changelog) "
        "and update notifications/graph_versions.py."
    )
    if version not in END_OF_LIFE:
        return [
            checks.Warning(
                f"WHATSAPP_API_VERSION={version!r} is not a Graph API version this "
                "release knows the end of life of.",
                hint=hint,
                id="notifications.W002",
            )
        ]
    end = END_OF_LIFE[version]
    if end is None or end - today > timedelta(days=END_WARNING_DAYS):
        return []
    when = (
        f"was retired on {end.isoformat()}"
        if end <= today
        else f"is retired by Meta on {end.isoformat()} ({(end - today).days} days)"
    )
    return [
        checks.Warning(
            f"WhatsApp Graph API {version} {when}: messages sent with it fail.",
            hint=hint,
            id="notifications.W001",
        )
    ]


def check_whatsapp_api_version(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Deploy check (registered in NotificationsConfig.ready, deploy=True)."""
    return version_warnings(settings.WHATSAPP_API_VERSION, timezone.localdate())
