from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from catalog.selectors import featured_products, newly_approved_products, top_categories
from core.page_cache import public_page
from facilities.selectors import facility_directory


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
    """200 only when the database answers, for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
