import datetime
import logging
import sys

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

# How long a reader is asked to wait when the database does not answer.
RETRY_AFTER_SECONDS = 30


@never_cache
def healthz(request):
    """200 when the database and the shared cache both answer, else 503 with what failed;
    also how long the oldest background job has waited (the worker is behind if it grows)."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure means unhealthy; say which
        logger.exception("health check: database")
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("healthz", "ok", timeout=10)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: value not read back"
    except Exception as error:
        logger.exception("health check: cache")
        checks["cache"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    if checks["database"] == "ok":
        checks["queue"] = queue_report()
    return JsonResponse(checks, status=200 if healthy else 503)


def queue_report():
    """Jobs waiting, failed in the last day, and the oldest waiting one's age in seconds."""
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    since = timezone.now() - datetime.timedelta(days=1)
    return {
        "waiting": ready.count(),
        "failed_last_day": DBTaskResult.objects.failed().filter(finished_at__gte=since).count(),
        "oldest_waiting_seconds": round((timezone.now() - oldest).total_seconds(), 1)
        if oldest
        else 0,
    }


def server_error(request):
    """The 500 handler: a database that does not answer is a 503 to come back to."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        body = render_to_string("503.html")
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(render_to_string("500.html"))
