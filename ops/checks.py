"""System checks of the operations settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .client_ip import networks


@register(Tags.security, deploy=True)
def trusted_proxies_check(app_configs, **kwargs):
    """Production behind a load balancer without TRUSTED_PROXIES counts every reader as one."""
    try:
        networks(tuple(settings.TRUSTED_PROXIES))
    except Exception as error:
        return [Error(str(error), id="ops.E001")]
    if settings.PRODUCTION and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "TRUSTED_PROXIES is empty: X-Forwarded-For is ignored, so behind a load "
                "balancer or nginx every reader has the proxy's address (one comment rate "
                "limit, one login lockout for all).",
                hint="Set TRUSTED_PROXIES to the addresses or networks of your proxies, "
                "e.g. TRUSTED_PROXIES=10.0.0.0/8; leave it empty only if clients connect "
                "to gunicorn directly.",
                id="ops.W001",
            )
        ]
    return []
