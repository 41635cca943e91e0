from django.apps import AppConfig


class RedirectsConfig(AppConfig):
    name = "redirects"
    verbose_name = "Old addresses"
    default_auto_field = "django.db.models.BigAutoField"
