from django.conf import settings


def site(request):
    """Values every page's layout needs."""
    return {"SITE_NAME": "Karya Binaan", "SITE_URL": settings.SITE_URL}
