"""Real-browser journeys: Playwright for Python driving Debian's chromium.

No browser is ever downloaded (`playwright install` is never run): the tests
launch /usr/bin/chromium, which .ci/run installs with apt. Without it, or
without the playwright package, every browser test SKIPS and says why.
Screenshots of each step land in the git-ignored test-artifacts/browser/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Debian's chromium; KB_CHROMIUM points elsewhere (or nowhere, to see the skip).
CHROMIUM = Path(os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}


@pytest.fixture(scope="module")
def chromium(django_db_setup, django_db_blocker):
    # Module-scoped, and set up after the test database: while Playwright runs,
    # its asyncio loop is registered on this thread, which Django's ORM refuses
    # to run under; stopping it with each module leaves later tests unaffected.
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser journeys skipped")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed; browser journeys skipped")
    # Playwright's sync API keeps an asyncio loop registered on this thread
    # while it runs; the ORM calls in the tests (and pytest-django's flushes)
    # are still plain synchronous code, which Django would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Error as error:
        playwright.stop()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        pytest.skip(f"{CHROMIUM} would not start: {error}")
    yield browser
    browser.close()
    playwright.stop()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The live server shares this process's cache: start each journey with no
    # POSTs counted against 127.0.0.1.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class Journey:
    """One browser tab at one screen size, with the faults a person would see.

    Console errors (CSP violations included), uncaught page errors, failed
    requests and HTTP errors of the site's own assets are collected as the
    journey goes; `check()` adds broken images and sideways scrolling on the
    phone, and fails the step that showed any of them.
    """

    def __init__(self, context, base_url: str, name: str, size: str):
        self.context = context
        self.page = context.new_page()
        self.base_url = base_url
        self.name = name
        self.size = size
        self.step = 0
        self.problems: list[str] = []
        self.allowed_statuses: set[int] = set()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", self._on_request_failed)
        self.page.on("response", self._on_response)

    def _on_console(self, message):
        source = (message.location or {}).get("url", "")
        # Chromium asks for /favicon.ico on its own; the site has none yet.
        if message.type == "error" and not source.endswith("/favicon.ico"):
            self.problems.append(f"console error: {message.text} [{source}]")

    def _on_request_failed(self, request):
        # A navigation that replaces a pending one is not a fault.
        if request.failure and "ERR_ABORTED" in request.failure:
            return
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _on_response(self, response):
        if (
            response.url.startswith(self.base_url)
            and response.status >= 400
            and response.status not in self.allowed_statuses
        ):
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def url(self, path: str) -> str:
        return self.base_url + path

    def visit(self, path: str, label: str = ""):
        response = self.page.goto(self.url(path), wait_until="load")
        self.check(label or path)
        return response

    def check(self, label: str) -> None:
        """Screenshot this step, then assert it showed no fault."""
        page = self.page
        page.wait_for_load_state("load")
        # Lazy images load as they scroll into view; bring them all in.
        page.evaluate(
            "() => document.querySelectorAll('img[loading=lazy]')"
            ".forEach(img => img.loading = 'eager')"
        )
        page.wait_for_function(
            "() => Array.from(document.images).every(img => img.complete)", timeout=30_000
        )
        self.step += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:50] or "page"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(ARTIFACTS / f"{self.name}-{self.size}-{self.step:02d}-{slug}.png"),
            full_page=True,
        )
        broken = page.evaluate(
            "() => Array.from(document.images)"
            ".filter(img => img.naturalWidth === 0).map(img => img.currentSrc || img.src)"
        )
        problems = [*self.problems, *(f"broken image: {src}" for src in broken)]
        # A phone browser widens its layout viewport to fit wide content, so
        # compare with the screen's width, not window.innerWidth. The admin is
        # Django's own layout, whose wide tables are expected to scroll.
        if self.size == "phone" and "/admin/" not in page.url:
            screen = VIEWPORTS["phone"]["viewport"]["width"]
            overflow = page.evaluate("() => document.documentElement.scrollWidth") - screen
            if overflow > 1:
                problems.append(f"page scrolls sideways by {overflow}px at {screen}px wide")
        self.problems.clear()
        assert not problems, f"step {self.step} ({label}): " + "; ".join(problems)


@pytest.fixture(params=list(VIEWPORTS))
def size(request):
    return request.param


@pytest.fixture
def journey(chromium, live_server, size, request):
    """A fresh browser context (no cookies) at the parametrised screen size."""
    context = chromium.new_context(locale="id-ID", **VIEWPORTS[size])
    # Generous: CI shares two cores with PostgreSQL and the live server.
    context.set_default_timeout(30_000)
    name = request.node.originalname.removeprefix("test_")[:40]
    yield Journey(context, live_server.url, name, size)
    context.close()


@pytest.fixture
def gunicorn_site(django_db_setup, production_static_root, tmp_path_factory):
    """The site as production starts it (tests/journeys' Server: gunicorn -c
    marketplace/gunicorn_conf.py, the production settings, several workers) for a
    browser: `.url` is what to give Journey / _phone instead of live_server.

    Plain HTTP on 127.0.0.1 (SECURE_SSL_REDIRECT off: no TLS proxy in front);
    chromium counts 127.0.0.1 as a secure origin, so the production cookies
    (Secure) are kept as on the real site. The workers share one cache (a
    file cache here, Redis in a deployment): with the default per-process
    cache a public page another worker cached before a write stays up to
    PUBLIC_PAGE_CACHE_SECONDS old (core/page_cache.py). gunicorn serves no
    /media/ (nginx does), so journeys on it use products without photos;
    files the app serves itself (review photos) work."""
    from types import SimpleNamespace

    from tests.journeys.conftest import Server

    folder = tmp_path_factory.mktemp("gunicorn-site")
    app = Server(
        folder,
        static_root=production_static_root,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        WEB_CONCURRENCY="2",
        CACHE_URL=f"filecache://{folder / 'cache'}",
    )
    yield SimpleNamespace(url=f"http://127.0.0.1:{app.port}", app=app)
    app.stop()
