from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("mitra/", views.desk, name="desk"),
    path("mitra/masuk/", views.PartnerLoginView.as_view(), name="login"),
    path("mitra/keluar/", views.sign_out, name="sign_out"),
    path("mitra/terjual/", views.report_sold, name="report_sold"),
    path("mitra/kembali/", views.report_return, name="report_return"),
    path("mitra/terima/<int:movement_id>/", views.acknowledge, name="acknowledge"),
    path("mitra/setor/", views.payment, name="payment"),
    path("mitra/kemasan/<int:request_id>/", views.house_request, name="house_request"),
    path("mitra/kemasan/<int:request_id>/foto/", views.house_photo, name="house_request_photo"),
    path(
        "mitra/kemasan/<int:request_id>/foto/<int:photo_id>/",
        views.house_photo,
        name="house_photo",
    ),
]
