from django.conf import settings
from django.contrib.messages import get_messages
from django.db import DatabaseError, connection, connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from catalog.selectors import featured_products, newly_approved_products, top_categories
from core.page_cache import public_page
from core.page_registry import visitor_values
from core.queue_status import queue_health
from facilities.selectors import facility_directory
from marketplace.db_router import replica_answers


@require_safe
@public_page
def home(request):
    """The front page: categories, featured and newly approved products,
    the facilities that sell, and the programme's story (in the footer)."""
    return render(
        request,
        "home.html",
        {
            "categories": top_categories(),
            "featured": featured_products(limit=4),
            "newest": newly_approved_products(limit=8),
            "facilities": facility_directory()[:12],
        },
    )


@require_safe
def robots_txt(request):
    """Crawlers may read the storefront; carts, checkout, order pages (their
    URLs carry order codes) and admin are not for them."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /keranjang/",
        "Disallow: /checkout/",
        "Disallow: /pesanan/",
        "Disallow: /lacak/",
        "Disallow: /i18n/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """200 only when the database answers, for load balancers and monitors.

    `?detail=1` (monitors, not load balancers) adds the queue as JSON: lag
    (seconds the oldest due job has waited), waiting, failed in 24 h, stalled
    and live workers; 503 when no worker is alive or the lag passes
    QUEUE_LAG_ALERT_SECONDS, since then mail and payments wait.

    `?reads=1` (the edge's probe, deploy/varnish/default.vcl) asks the
    database public pages read instead: the replica under
    DATABASE_REPLICA_URL. While the primary restarts, the nodes stay in the
    edge's rotation and keep serving the catalog from the replica; only
    writes and a shopper's own pages fail for those seconds. While the
    replica does not answer, reads (and this probe) go to the primary."""
    database = connection
    if request.GET.get("reads") and "replica" in settings.DATABASES and replica_answers():
        # A replica that does not answer is no reason to leave the rotation:
        # the router then reads the primary (marketplace.db_router), so the
        # probe asks the primary instead.
        database = connections["replica"]
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        health = queue_health() if request.GET.get("detail") else None
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    if health is None:
        return HttpResponse("ok", content_type="text/plain")
    queue_ok = health.live_workers > 0 and health.lag_seconds <= settings.QUEUE_LAG_ALERT_SECONDS
    return JsonResponse(
        {"database": "ok", "queue_ok": queue_ok, "queue": health.as_dict()},
        status=200 if queue_ok else 503,
    )


@never_cache
@require_safe
def visitor_state(request):
    """/sesi.json: what a shared page shows per visitor, read by its script
    (static/js/site.js) when the `kb_msg` cookie says messages wait: the
    messages (shown once, as on a page built for the visitor) and each
    registered value (the cart count). Never cached anywhere."""
    data = {name: str(value(request)) for name, value in visitor_values().items()}
    data["messages"] = [
        {"level": message.tags, "text": str(message)} for message in get_messages(request)
    ]
    return JsonResponse(data)
