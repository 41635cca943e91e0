"""Login throttling (django-axes, in the shared database) and staff password reset by email."""

import datetime
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.tools import site_env

ROOT = Path(__file__).resolve().parent.parent
LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "chief", "chief@example.org", PASSWORD, is_staff=True, is_superuser=True
    )


def login(client, username, password, address="192.0.2.10"):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def fail(client, times, username="chief", address="192.0.2.10"):
    return [login(client, username, "wrong", address).status_code for _ in range(times)]


def test_after_n_failed_logins_the_account_is_locked_even_for_the_right_password(
    client, staff, settings
):
    limit = settings.AXES_FAILURE_LIMIT
    assert fail(client, limit - 1) == [200] * (limit - 1)  # the form again, with its error
    assert fail(client, 1) == [429]
    response = login(client, "chief", PASSWORD)
    assert response.status_code == 429
    text = " ".join(response.content.decode().split())
    assert "Login locked" in text and "even the right password is refused" in text
    assert f"locked for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in text
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_configured_time_however_often_one_tries(client, staff, settings):
    locked_at = timezone.now()
    fail(client, settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(locked_at + settings.AXES_COOLOFF_TIME / 2):
        assert login(client, "chief", PASSWORD).status_code == 429
        assert fail(client, 2) == [429, 429]
    later = locked_at + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=5)
    with time_machine.travel(later):
        assert login(client, "chief", PASSWORD).status_code == 302


def test_one_client_address_trying_many_accounts_is_locked_too(client, staff, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"guess{n}", "wrong")
    assert login(client, "chief", PASSWORD).status_code == 429
    assert login(client, "chief", PASSWORD, address="198.51.100.20").status_code == 302


def test_a_superuser_unlocks_an_account_with_a_command(client, staff, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)
    call_command("axes_reset_username", "chief", verbosity=0)
    assert login(client, "chief", PASSWORD).status_code == 302


APP_PROCESS = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from django.test import Client
    username, password, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
    data = {"username": username, "password": password, "next": "/admin/"}
    for _ in range(times):
        response = Client().post("/admin/login/", data, REMOTE_ADDR="203.0.113.9")
        print(response.status_code, "Login locked" in response.content.decode())
    """
)


def app_process(database, *args):
    """A separate Django process (its own memory, no shared cache) on the same database."""
    result = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", APP_PROCESS, *map(str, args)],
        cwd=ROOT,
        env={**site_env(database), "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")[:-1]


def test_the_lock_holds_across_two_app_processes_sharing_the_store(tmp_path, settings):
    database = tmp_path / "shared.sqlite3"
    env = site_env(database)
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["shell", "-c", f"from django.contrib.auth.models import User; "
         f"User.objects.create_user('chief', password='{PASSWORD}', is_staff=True)"],
    ):  # fmt: skip
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True
        )
        assert done.returncode == 0, done.stderr
    limit = settings.AXES_FAILURE_LIMIT
    first = app_process(database, "chief", "wrong", limit)
    assert first == ["200 False"] * (limit - 1) + ["429 True"]
    assert app_process(database, "chief", PASSWORD, 1) == ["429 True"]


# Password reset by email, for staff only, rate-limited.
RESET = reverse("admin_password_reset")


def test_staff_reset_their_password_by_email(client, staff):
    response = client.post(RESET, {"email": "chief@example.org"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["chief@example.org"]
    link = next(line for line in message.body.splitlines() if "/admin/reset/" in line)
    set_password = client.get(link.strip().split("testserver", 1)[1], follow=True)
    assert set_password.status_code == 200 and "new_password1" in set_password.content.decode()


def test_the_admin_login_page_offers_the_reset(client, db):
    assert RESET in client.get(LOGIN).content.decode()


def test_no_reset_mail_for_accounts_that_are_not_staff(client, db):
    get_user_model().objects.create_user("reader", "reader@example.org", PASSWORD)
    assert client.post(RESET, {"email": "reader@example.org"}).status_code == 302
    assert mail.outbox == []


def test_password_resets_are_rate_limited_per_address_and_per_email(client, staff, settings):
    settings.PASSWORD_RESET_LIMIT = "3/3600"
    statuses = [
        client.post(RESET, {"email": "chief@example.org"}, REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]  # per email, whatever the address
    assert len(mail.outbox) == 3
    response = client.post(RESET, {"email": "other@example.org"}, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 302
    for n in range(3):
        client.post(RESET, {"email": f"x{n}@example.org"}, REMOTE_ADDR="198.51.100.1")
    response = client.post(RESET, {"email": "y@example.org"}, REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429  # per address, whatever the email
    assert "Too many password resets" in response.content.decode()


def test_a_superuser_unlocks_an_account_in_the_admin(client, staff, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    admin = type(client)()
    admin.force_login(root)
    for attempt in AccessAttempt.objects.all():
        url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
        assert admin.post(url, {"post": "yes"}).status_code == 302
    assert login(client, "chief", PASSWORD).status_code == 302
