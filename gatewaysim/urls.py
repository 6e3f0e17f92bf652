from django.urls import path

from gatewaysim import views

app_name = "gatewaysim"

urlpatterns = [
    path("v2/charge", views.charge, name="charge"),
    path("v2/<str:order_id>/status", views.status, name="status"),
    path("v2/<str:order_id>/refund", views.refund, name="refund"),
    path("v2/<str:order_id>/expire", views.expire, name="expire"),
    path("bayar/<str:order_id>/", views.pay, name="pay"),
]
