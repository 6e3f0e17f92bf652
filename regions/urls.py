from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("wilayah/", views.children, name="provinces"),
    path("wilayah/cari.json", views.search, name="search"),
    path("wilayah/<str:code>.json", views.children, name="children"),
]
