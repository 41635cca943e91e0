import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

if settings.BENCHMARK_URLS:  # bench/run: the framework floor beside the site
    from bench.wsgi import with_floor

    application = with_floor(application)
