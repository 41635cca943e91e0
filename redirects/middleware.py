from django.http import HttpResponsePermanentRedirect

from . import target


class RedirectFallbackMiddleware:
    """A 404 whose path moved answers 301 to where it lives now (the pattern of
    django.contrib.redirects, without the sites framework). Only 404s pay the lookup."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        path = request.get_full_path()
        new_path = target(path)
        if new_path is None and "?" in path:
            new_path = target(request.path)
        return HttpResponsePermanentRedirect(new_path) if new_path else response
