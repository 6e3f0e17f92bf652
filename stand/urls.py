from django.urls import path

from stand import views, views_pwa

app_name = "stand"

urlpatterns = [
    path("stan/", views.home, name="home"),
    path("stan/masuk/", views.StandLogin.as_view(), name="login"),
    path("stan/sw.js", views_pwa.service_worker, name="service_worker"),
    path("stan/manifest.webmanifest", views_pwa.manifest, name="manifest"),
    path("stan/gateway/notifikasi/", views.gateway_notification, name="gateway_notification"),
    path("stan/pameran/<int:exhibition_id>/buka/", views.open_till, name="open"),
    path("stan/laporan/<int:exhibition_id>/", views.report, name="report"),
    path("stan/kasir/<int:till_id>/", views.till_page, name="till"),
    path("stan/kasir/<int:till_id>/data.json", views.till_data, name="data"),
    path("stan/kasir/<int:till_id>/jual/", views.sale_post, name="sale"),
    path("stan/kasir/<int:till_id>/sync/", views.sync_post, name="sync"),
    path("stan/kasir/<int:till_id>/qris/<uuid:key>/", views.qris_start, name="qris"),
    path(
        "stan/kasir/<int:till_id>/qris/<uuid:key>/status.json",
        views.qris_status,
        name="qris_status",
    ),
    path("stan/kasir/<int:till_id>/qris/<uuid:key>/qr.svg", views.qris_svg, name="qris_svg"),
    path("stan/kasir/<int:till_id>/batal/<uuid:key>/", views.sale_cancel, name="cancel"),
    path("stan/kasir/<int:till_id>/struk/<uuid:key>/", views.receipt, name="receipt"),
    path("stan/kasir/<int:till_id>/stok/", views.stock_page, name="stock"),
    path("stan/kasir/<int:till_id>/tutup/", views.close_page, name="close"),
    path("stan/kasir/<int:till_id>/relawan/", views.volunteers, name="volunteers"),
    path("stan/kasir/<int:till_id>/cek/<uuid:key>/", views.resolve, name="resolve"),
]
