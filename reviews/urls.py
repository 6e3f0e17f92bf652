from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("lacak/<str:code>/ulasan/<int:line_id>/", views.review_create, name="create"),
    path(
        "ulasan/foto/<int:photo_id>/<int:width>.<str:fmt>",
        views.review_photo,
        name="photo",
    ),
]
