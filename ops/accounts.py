"""Staff accounts: the lockout page of django-axes, and password reset by email.

Failed logins are counted by django-axes (settings: AXES_*); its lockout page here says
for how long and how to get unlocked. Password reset is for active staff only (readers
have no accounts) and limited per client address and per email address in the shared
cache (PASSWORD_RESET_LIMIT), so it cannot be used to flood someone's mailbox.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.shortcuts import render
from django.urls import path, reverse_lazy

from .client_ip import client_ip
from .ratelimit import count_attempt, parse_limit


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: a 429 page saying why and for how long."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"username": username, "minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT}
    response = render(request, "admin/login_locked.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class StaffPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        count, seconds = parse_limit(settings.PASSWORD_RESET_LIMIT, "PASSWORD_RESET_LIMIT")
        email = request.POST.get("email", "").strip().lower()[:254]
        over = [
            count_attempt(f"password-reset:{kind}:{value}", seconds) > count
            for kind, value in (("ip", client_ip(request)), ("email", email))
        ]
        if any(over):
            context = {"minutes": seconds // 60 or 1, "title": "Too many password resets"}
            response = render(request, "registration/password_reset_limited.html", context)
            response.status_code = 429
            response["Retry-After"] = str(seconds)
            return response
        return super().post(request, *args, **kwargs)


# Under admin/ (before the admin's own urls): never in the public page cache.
urlpatterns = [
    path("password_reset/", PasswordResetView.as_view(), name="admin_password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
