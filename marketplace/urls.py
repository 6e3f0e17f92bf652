import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve

from catalog import views as catalog_views
from catalog.sitemaps import SITEMAPS
from core.private_media import PRIVATE_MEDIA_PREFIX
from facilities import admin_inbox
from facilities.admin_scoping import scoped_view_on_site
from marketplace import views
from notifications import views_staff
from oversight import views as oversight_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # An index of sections, each paginated (5,000 links a page).
    path("sitemap.xml", catalog_views.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    # The header's language buttons are on pages shared by every visitor, which
    # carry no CSRF token: switching a visitor's language is all a forged
    # POST could do here, so this one view asks for none.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # What a shared page shows per visitor (messages, cart count), for its script.
    path("sesi.json", views.visitor_state, name="visitor_state"),
    path("dampak/", oversight_views.impact, name="impact"),
    # Reports live under the admin's address and behind its login; listed
    # before "admin/" so the admin's catch-all does not answer for them.
    path("admin/laporan/", include("oversight.urls")),
    path("admin/hasil/", include("proceeds.urls")),
    path("admin/tugas/", admin.site.admin_view(admin_inbox.inbox_view), name="kb_inbox"),
    path(
        "admin/tugas/pemberitahuan/",
        admin.site.admin_view(views_staff.preferences_view),
        name="kb_alert_preferences",
    ),
    # "View on site" only for rows the user's admin shows (Django's own would
    # redirect to any object); before "admin/" so it answers instead.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(scoped_view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("", include("regions.urls")),
    path("", include("facilities.urls")),
    path("", include("catalog.urls")),
    path("", include("orders.urls")),
    path("", include("orders.privacy.urls")),
    path("", include("reviews.urls")),
    path("", include("complaints.urls")),
    path("", include("quotes.urls")),
    path("", include("myorders.urls")),
    path("", include("stand.urls")),
    path("", include("partners.urls")),
    # The payment gateway's local stand-in; every path is 404 unless
    # settings.MIDTRANS_SIMULATOR (DEBUG without a real key).
    path("_simulator/midtrans/", include("gatewaysim.urls")),
    # The courier aggregator's stand-in (settings.BITESHIP_SIMULATOR).
    path("_simulator/biteship/", include("gatewaysim.biteship_urls")),
    path("", include("notifications.urls")),
    # WhatsApp Cloud API stand-in; 404 unless settings.WHATSAPP_SIMULATOR.
    path("_simulator/whatsapp/", include("gatewaysim.whatsapp_urls")),
]

if settings.DEBUG and settings.MEDIA_URL.startswith("/"):
    # Uploaded photos for development; never the private folder (receipts),
    # which only staff views hand out.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?!{PRIVATE_MEDIA_PREFIX})(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
