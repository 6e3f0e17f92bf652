"""The site's public pages, found from the URL configuration itself.

Every parameterless route outside the admin (plus the admin's login page) is a
page a stranger can open, so the header and inline-script tests cover pages
other apps add later without being told about them.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

# Routes that are not pages: POST-only endpoints and machine files.
NOT_PAGES = {"i18n/setlang/"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue
            yield from _walk(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            full = prefix + route
            if "<" in full or "(" in full or "^" in full:
                continue  # needs an argument (or is a regex route such as media)
            yield "/" + full


def public_paths() -> list[str]:
    paths = {p for p in _walk(get_resolver().url_patterns) if p.lstrip("/") not in NOT_PAGES}
    paths.add("/admin/login/")
    return sorted(paths)
