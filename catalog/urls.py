from django.urls import path, re_path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("produk/", views.catalog, name="list"),
    path("produk/<slug:slug>/", views.product, name="product"),
    path("kategori/<slug:slug>/", views.category, name="category"),
    path("upt/<slug:slug>/", views.storefront, name="storefront"),
    path("pameran/", views.exhibitions, name="exhibitions"),
    re_path(
        r"^upt/(?P<slug>[-\w]+)/feed\.(?P<fmt>xml|csv)$", views.facility_feed, name="facility_feed"
    ),
    re_path(r"^feed/google\.(?P<fmt>xml|csv)$", views.feed, name="feed"),
]
