from django.urls import path

from gatewaysim import whatsapp

app_name = "whatsappsim"

urlpatterns = [
    path("<str:version>/<str:phone_number_id>/messages", whatsapp.messages, name="messages"),
    path("inbox/<str:phone>/", whatsapp.inbox, name="inbox"),
]
