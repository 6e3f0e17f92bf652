from django.urls import path

from orders.privacy import views
from orders.terms import terms_view

app_name = "privacy"

urlpatterns = [
    path("privasi/", views.notice, name="notice"),
    path("syarat/", terms_view, name="terms"),
    path("lacak/<str:code>/data-pribadi/", views.home, name="home"),
    path("lacak/<str:code>/data-pribadi/kirim-kode/", views.otp_send, name="otp_send"),
    path("lacak/<str:code>/data-pribadi/verifikasi/", views.otp_verify, name="otp_verify"),
    path("lacak/<str:code>/data-pribadi/unduh/", views.download, name="download"),
    path("lacak/<str:code>/data-pribadi/ubah/", views.correct, name="correct"),
    path("lacak/<str:code>/data-pribadi/hapus/", views.delete, name="delete"),
]
