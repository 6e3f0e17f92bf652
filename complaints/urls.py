from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("lacak/<str:code>/keluhan/", views.complaint_create, name="create"),
    path(
        "lacak/<str:code>/keluhan/<int:complaint_id>/",
        views.complaint_respond,
        name="respond",
    ),
]
