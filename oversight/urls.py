"""Report pages under /admin/laporan/, each behind the admin's login and staff check."""

from django.contrib import admin
from django.urls import path

from oversight import views, views_books

app_name = "oversight"

guard = admin.site.admin_view

urlpatterns = [
    path("penjualan/", guard(views.sales_report), name="sales"),
    path("penjualan.csv", guard(views.sales_export), {"fmt": "csv"}, name="sales_csv"),
    path("penjualan.xlsx", guard(views.sales_export), {"fmt": "xlsx"}, name="sales_xlsx"),
    path("pembagian-hasil.csv", guard(views.shares_export), name="shares_csv"),
    path("pembukuan/", guard(views_books.books_report), name="books"),
    path("produk/", guard(views.product_recap), name="recap"),
    path("produk.csv", guard(views.product_recap_export), {"fmt": "csv"}, name="recap_csv"),
    path("ketepatan-waktu.xlsx", guard(views.timeliness_export), name="timeliness_xlsx"),
    path("produk.xlsx", guard(views.product_recap_export), {"fmt": "xlsx"}, name="recap_xlsx"),
]
