from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("produk/", views.catalog, name="list"),
    path("produk/<slug:slug>/", views.product, name="product"),
    path("kategori/<slug:slug>/", views.category, name="category"),
    path("upt/<slug:slug>/", views.storefront, name="storefront"),
]
