from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from facilities.selectors import facility_directory


def home(request):
    """The front page; the storefront issue fills it with products."""
    return render(request, "home.html", {"facilities": facility_directory()[:12]})


@never_cache
def healthz(request):
    """200 only when the database answers, for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
