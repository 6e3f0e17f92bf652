urlpatterns = []
app_name = "orders"
