from django.urls import path

from myorders import views

app_name = "myorders"

urlpatterns = [
    path("pesanan-saya/", views.start, name="start"),
    path("pesanan-saya/kode/", views.code, name="code"),
    path("pesanan-saya/buka/<str:code>/", views.open_order, name="open"),
    path("pesanan-saya/keluar/", views.sign_out, name="sign_out"),
]
