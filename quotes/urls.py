from django.urls import path

from quotes import views

app_name = "quotes"

urlpatterns = [
    path("penawaran/minta/", views.request_create, name="request"),
    path("penawaran/<str:token>/", views.quote_detail, name="detail"),
    path("penawaran/<str:token>/setuju/", views.quote_accept, name="accept"),
    path("penawaran/<str:token>/ubah/", views.quote_change, name="change"),
    path("penawaran/<str:token>/versi-baru/", views.quote_requote, name="requote"),
]
