"""The ledger's pages under /admin/hasil/, each behind the admin's login."""

from django.contrib import admin
from django.urls import path

from proceeds import views

app_name = "proceeds"

guard = admin.site.admin_view

urlpatterns = [
    path("", guard(views.ledger), name="ledger"),
    path("buku-hasil.xlsx", guard(views.ledger_export), name="xlsx"),
    path("<int:facility_id>/<str:month>/", guard(views.ledger_month), name="month"),
    path("bukti/<int:entry_id>/", guard(views.proof), name="proof"),
]
