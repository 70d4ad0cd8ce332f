"""Russian for everyone; English for whoever picks it in the footer.

Django's LocaleMiddleware also follows the browser's Accept-Language, so a coordinator whose
browser happens to be set to English would get the English catalogue without asking for it. Here
only the cookie that Django's set_language view writes (the footer's form) counts.

A view that answers in Russian whatever the cookie says sets `request.language_fixed = True`
(the public pages, communities/public/http.py): its answer is the same for every visitor, so it
gets no `Vary: Cookie` and a shared cache may keep it.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


def chosen_language(request) -> str:
    """The language picked with set_language, else LANGUAGE_CODE (Russian)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(MiddlewareMixin):
    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The page depends on the language cookie, not on Accept-Language.
        if not getattr(request, "language_fixed", False):
            patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
