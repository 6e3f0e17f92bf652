"""Links an outside service gives us (a courier's tracking page) that a page
or a message shows as a link: web addresses only."""

from __future__ import annotations

import urllib.parse

WEB_SCHEMES = ("http", "https")


def safe_link(raw: str | None) -> str:
    """`raw` when it is an http(s) URL with a host, else "" (a `javascript:`,
    `data:` or relative link from a webhook is never stored or rendered)."""
    text = (raw or "").strip()
    if not text or any(ord(c) < 33 for c in text):
        return ""
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc:
        return ""
    return text
