from django.urls import path

from facilities import views

app_name = "facilities"

urlpatterns = [
    path("upt/", views.directory, name="directory"),
    path("upt/<slug:slug>/", views.storefront, name="storefront"),
]
