from django.urls import path

from facilities import views

app_name = "facilities"

urlpatterns = [
    path("upt/", views.directory, name="directory"),
]
