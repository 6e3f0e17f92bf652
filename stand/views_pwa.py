"""The till as an installable web app: its manifest and service worker,
served under /stan/ so the worker's scope is the till and nothing else."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

# Bump when the worker's caching changes: the old cache is dropped.
CACHE_NAME = "kb-stan-v1"


@require_GET
def service_worker(request):
    response = render(
        request, "stand/sw.js", {"cache_name": CACHE_NAME}, content_type="text/javascript"
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    response = JsonResponse(
        {
            "name": "Kasir Stan Karya Binaan",
            "short_name": "Kasir Stan",
            "start_url": "/stan/",
            "scope": "/stan/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#7a2e0e",
            "lang": "id",
            "icons": [{"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        },
        content_type="application/manifest+json",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
