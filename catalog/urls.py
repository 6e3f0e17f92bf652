urlpatterns = []
app_name = "catalog"
