from django.urls import path

from orders import views, views_tracking
from orders.account import links as account_links
from orders.delivery import views as views_shipping
from orders.documents import views as views_documents
from orders.payments import views as views_payment

app_name = "orders"

urlpatterns = [
    path("keranjang/", views.cart_detail, name="cart"),
    path("keranjang/tambah/", views.cart_add, name="cart_add"),
    path("keranjang/ubah/", views.cart_update, name="cart_update"),
    path("keranjang/token/", views.cart_token, name="cart_token"),
    path("keranjang/beli/", views.cart_buy, name="cart_buy"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/ringkasan/", views.checkout_totals, name="checkout_totals"),
    path("pesanan/<str:code>/selesai/", views_payment.confirmation, name="confirmation"),
    path("pesanan/<str:code>/status-bayar/", views_payment.payment_status, name="payment_status"),
    path("pesanan/<str:code>/qris.svg", views_payment.payment_qr, name="payment_qr"),
    path("pesanan/<str:code>/qris.png", views_payment.payment_qr_png, name="payment_qr_png"),
    path("pesanan/<str:code>/bayar-ulang/", views_payment.payment_retry, name="payment_retry"),
    path(
        "pembayaran/notifikasi/midtrans/",
        views_payment.gateway_notification,
        name="gateway_notification",
    ),
    path(
        "pengiriman/webhook/biteship/",
        views_shipping.biteship_webhook,
        name="biteship_webhook",
    ),
    path("pengiriman/label/<int:pk>/", views_documents.shipping_label, name="shipping_label"),
    path("ongkir/<int:pk>/", views_shipping.shipping_estimate, name="shipping_estimate"),
    path("lacak/", views_tracking.track, name="track"),
    path("buka/<str:token>/", account_links.open_link, name="link"),
    path("lacak/<str:code>/", views_tracking.track_detail, name="track_detail"),
    path("lacak/<str:code>/bukti/", views_tracking.receipt_upload, name="receipt_upload"),
    path("lacak/<str:code>/qris.svg", views_tracking.payment_qr, name="track_payment_qr"),
    path("lacak/<str:code>/bayar-ulang/", views_tracking.payment_retry, name="track_payment_retry"),
    path("lacak/<str:code>/batal/", views_tracking.shopper_cancel, name="shopper_cancel"),
    path("lacak/<str:code>/faktur/", views_documents.invoice, name="invoice"),
    path("lacak/<str:code>/surat-jalan/", views_documents.delivery_note, name="delivery_note"),
]
