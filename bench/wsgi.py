"""The framework floor: Django's request handling, URL resolution and a view doing no work,
with no middleware at all (bench/run measures it beside the bare view, which runs the whole
stack). Mounted only when BENCHMARK_URLS is on (config/wsgi.py)."""

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler

FLOOR_PATH = "/bench/floor/"


class WithoutMiddleware(WSGIHandler):
    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)


def with_floor(application):
    floor = WithoutMiddleware()

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO") == FLOOR_PATH:
            return floor(environ, start_response)
        return application(environ, start_response)

    return dispatch
