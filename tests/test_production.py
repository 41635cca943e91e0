"""Production settings, health check, security headers and the shared page cache."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_PRODUCTION": "1",
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-" + "z" * 20,
    "ALLOWED_HOSTS": "blog.example.org",
    "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
    "TRUSTED_PROXIES": "10.0.0.0/8",
}


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_missing_secret_in_production_stops_start_up_with_a_clear_message():
    env = dict(PRODUCTION_ENV, SECRET_KEY="")
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_mode_runs_without_any_setting():
    result = manage("check")
    assert result.returncode == 0, result.stderr


def test_healthz_reports_database_and_cache(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    report = response.json()
    assert (report["database"], report["cache"]) == ("ok", "ok")
    assert report["queue"] == {"waiting": 0, "failed_last_day": 0, "oldest_waiting_seconds": 0}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_cache_is_down(client, db):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
        }
    }
    with override_settings(CACHES=unreachable, PAGE_CACHE_ENABLED=False):
        from django.core.cache import caches

        caches["default"].close()
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["cache"].startswith("error")


def test_security_headers_on_public_pages(client, make_post):
    post = make_post()
    response = client.get(post.get_absolute_url())
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "'self'" in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_anonymous_pages_come_from_the_shared_cache_with_validators(client, make_post):
    post = make_post()
    first = client.get(post.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert "public" in first["Cache-Control"]
    assert "Set-Cookie" not in first.headers and "Cookie" not in first.get("Vary", "")
    second = client.get(post.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    again = client.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_renaming_a_speaker_refreshes_every_cached_post_quoting_them(
    client, make_post, quotation, committed
):
    posts = [make_post(f"[[quote:{quotation.pk}]]"), make_post(f"He said [[q:{quotation.pk}]].")]
    pages = [post.get_absolute_url() for post in posts] + ["/", quotation.get_absolute_url()]
    for url in pages:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    quotation.speaker.name = "Dmitry Medvedev"
    with committed():
        quotation.speaker.save()
    for url in pages:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Dmitry Medvedev" in response.content.decode(), url


def test_a_new_update_refreshes_the_cached_post(client, make_post, committed):
    post = make_post()
    client.get(post.get_absolute_url())
    with committed():
        post.updates.create(body="Fresh news.")
    assert "Fresh news." in client.get(post.get_absolute_url()).content.decode()


def test_a_scheduled_post_appears_on_a_cached_front_page_when_its_time_comes(client, make_post):
    make_post(title="Already out")
    make_post(title="Coming soon", published_at=timezone.now() + datetime.timedelta(seconds=1))
    assert "Coming soon" not in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    time.sleep(1.1)
    assert "Coming soon" in client.get("/").content.decode()


def test_staff_are_never_served_the_shared_copy(client, editor, make_post):
    post = make_post()
    client.get(post.get_absolute_url())
    client.force_login(editor)
    response = client.get(post.get_absolute_url())
    assert "X-Page-Cache" not in response.headers


def test_a_reader_with_a_session_is_never_served_the_shared_copy(client, make_post):
    post = make_post()
    client.get(post.get_absolute_url())
    client.cookies["sessionid"] = "a-pending-commenter"
    assert "X-Page-Cache" not in client.get(post.get_absolute_url()).headers


@pytest.mark.parametrize("path", ["/admin/login/", "/healthz"])
def test_private_and_operational_paths_are_never_cached(client, db, path):
    client.get(path)
    assert "X-Page-Cache" not in client.get(path).headers


def test_the_cache_survives_losing_its_clock(client, make_post):
    post = make_post()
    client.get(post.get_absolute_url())
    cache.delete("pc:clock")  # evicted, or the cache restarted
    assert client.get(post.get_absolute_url())["X-Page-Cache"] == "miss"


@override_settings(COMMENTS_CLOSE_AFTER_DAYS=1)
def test_a_cached_post_stops_offering_the_form_when_comments_close_by_age(client, make_post):
    post = make_post(
        published_at=timezone.now() - datetime.timedelta(days=1) + datetime.timedelta(seconds=1)
    )
    assert "Leave a comment" in client.get(post.get_absolute_url()).content.decode()
    assert client.get(post.get_absolute_url())["X-Page-Cache"] == "hit"
    time.sleep(1.1)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Leave a comment" not in html and "Comments are closed." in html


def test_plain_http_is_redirected_even_when_the_page_is_cached(client, make_post):
    post = make_post()
    secure = {"secure": True}
    with override_settings(SECURE_SSL_REDIRECT=True):
        client.get(post.get_absolute_url(), **secure)
        assert client.get(post.get_absolute_url(), **secure)["X-Page-Cache"] == "hit"
        response = client.get(post.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_cached_pages_keep_their_security_headers(client, make_post):
    post = make_post()
    client.get(post.get_absolute_url())
    hit = client.get(post.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY" and hit["X-Content-Type-Options"] == "nosniff"


def test_production_mode_forces_debug_off_whatever_django_debug_says():
    code = "from django.conf import settings; print('DEBUG', settings.DEBUG)"
    result = manage("shell", "-c", code, DJANGO_DEBUG="1", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout
    assert "DEBUG True" in manage("shell", "-c", code, DJANGO_DEBUG="1").stdout


def test_junk_query_strings_share_the_plain_page_and_add_no_entries(client, make_post):
    make_post(title="Front")
    assert client.get("/")["X-Page-Cache"] == "miss"
    states = {client.get(f"/?junk={n}&utm_source=x{n}")["X-Page-Cache"] for n in range(1000)}
    assert states == {"hit"}  # every one answered by the one stored front page
    assert client.get("/?page=1")["X-Page-Cache"] == "miss"  # a parameter the view reads


def test_a_page_too_big_for_the_cache_is_served_but_not_kept(client, make_post, settings):
    post = make_post()
    settings.PAGE_CACHE_MAX_BYTES = 100  # compressed bytes
    assert client.get(post.get_absolute_url()).status_code == 200
    assert client.get(post.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_local_copy_unpurged_since_its_check_reads_no_key_versions(
    client, make_post, make_quotation, committed, monkeypatch
):
    """The in-process copy's fast path: while no purge finished, a hit reads four small
    values, not the page's key versions; any finished purge makes it check them again."""
    from ops import pagecache

    post = make_post(f"[[quote:{make_quotation().pk}]]")
    other = make_post()
    url = post.get_absolute_url()
    read = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: read.extend(keys) or get_many(keys))
    client.get(url)
    client.get(url)  # checked: its versions read once
    read.clear()
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert not [key for key in read if key.startswith("pc:key:")]
    with committed():
        other.updates.create(body="Elsewhere.")  # a purge of another page
    read.clear()
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert pagecache.version_key(f"post:{post.pk}") in read  # checked again, still current
    with committed():
        post.updates.create(body="Here.")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "Here." in response.content.decode()


def test_a_copy_checked_within_the_recheck_window_asks_the_shared_cache_nothing(
    client, make_post, committed, monkeypatch, settings
):
    """Production checks a local copy at most every PAGE_CACHE_RECHECK_SECONDS: another
    process's purge shows within that bound; this process's own purge at once."""
    from ops import pagecache

    settings.PAGE_CACHE_RECHECK_SECONDS = 0.05
    now = [1000.0]
    monkeypatch.setattr(pagecache, "monotonic", lambda: now[0])
    post = make_post()
    url = post.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"  # checked now
    read = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: read.extend(keys) or get_many(keys))
    with committed():
        post.updates.create(body="Sent from another server.")
    pagecache.local_pages.purged_at = -float("inf")  # as if that purge came from elsewhere
    now[0] += 0.04
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit" and read == []
    assert "Sent from another server." not in response.content.decode()
    now[0] += 0.02  # past the window: checked again, and found purged
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and read
    assert "Sent from another server." in response.content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    with committed():
        post.updates.create(body="Sent from this process.")
    response = client.get(url)  # within the window, but this process purged it
    assert response["X-Page-Cache"] == "miss"
    assert "Sent from this process." in response.content.decode()
