from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("webhooks/whatsapp/", views.webhook, name="whatsapp_webhook"),
]
