"""Indonesian first: the shopper's explicit choice, never the browser's header.

Many phones in Indonesia run an English system language while their owners
shop in Indonesian, so Accept-Language is a poor guess. The site speaks
Indonesian until the shopper presses "EN" in the header (Django's set_language
view stores the choice in the language cookie).
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread serves the next request (or test) in the default
            # language unless that request chooses otherwise.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        # Cached copies must differ by the cookie that chose the language.
        patch_vary_headers(response, ("Cookie",))
        return response
