"""deploy/varnish/cache.vcl agrees with the app: every @public_page view's
address is one the edge caches (and hashes by language), no per-visitor
page is, and the language cookie it keeps is the one core/language.py reads."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

VCL = (Path(settings.BASE_DIR) / "deploy" / "varnish" / "cache.vcl").read_text()


def _cacheable_patterns() -> list[re.Pattern]:
    marker = VCL.index("KB-CACHEABLE-URLS")
    line = VCL[marker:].splitlines()[1]
    return [re.compile(p.replace("\\\\", "\\")) for p in re.findall(r'req\.url ~ "([^"]+)"', line)]


def _edge_caches(path: str) -> bool:
    return any(pattern.search(path) for pattern in _cacheable_patterns())


def _public_views(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from _public_views(entry, route)
        elif isinstance(entry, URLPattern) and getattr(entry.callback, "public_page", False):
            # A sample address: each converter becomes a plain word.
            yield "/" + re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]+\)", "contoh", route)


def test_every_public_page_is_an_address_the_edge_caches():
    paths = sorted(set(_public_views()))
    assert "/produk/contoh/" in paths and "/" in paths and len(paths) >= 8
    missing = [path for path in paths if not _edge_caches(path)]
    assert not missing, f"add these to cache.vcl's cacheable addresses: {missing}"


def test_per_visitor_pages_are_passed():
    for path in (
        "/keranjang/",
        "/keranjang/beli/?product=1",
        "/checkout/",
        "/pesanan-saya/",
        "/lacak/",
        "/admin/",
        "/sesi.json",
        "/i18n/setlang/",
        "/produkx/",
    ):
        assert not _edge_caches(path), path
    assert _edge_caches("/?utm_source=wa") and _edge_caches("/produk/?q=kursi")


def test_the_language_cookie_the_edge_keeps_is_the_apps():
    others = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    assert others == ["en"]
    assert f"{settings.LANGUAGE_COOKIE_NAME}=en" in VCL
