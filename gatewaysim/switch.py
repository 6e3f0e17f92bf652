"""Each simulator answers only while its settings flag says it stands in for
the real service (DEBUG without a key); otherwise its URLs are a 404."""

from functools import wraps

from django.conf import settings
from django.http import Http404


def enabled_by(flag: str):
    """A view decorator: 404 unless settings.<flag> is on (read per request,
    so tests may switch it)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not getattr(settings, flag):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
