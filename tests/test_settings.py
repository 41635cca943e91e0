"""DATABASE_URL is parsed by dj-database-url: options kept, connections reused on PostgreSQL."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from config.settings import database_from_url


def test_query_options_such_as_sslmode_are_kept():
    config = database_from_url("postgres://blog:s%40cret@db.internal:5433/blog?sslmode=verify-full")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"]) == ("blog", "s@cret")
    assert (config["HOST"], str(config["PORT"]), config["NAME"]) == ("db.internal", "5433", "blog")
    assert config["OPTIONS"]["sslmode"] == "verify-full"


def test_postgresql_connections_run_without_parallel_workers_unless_told(monkeypatch):
    """Launching parallel workers cost 30 ms of a 40 ms speaker page at 100,000 posts."""
    plain = "-c max_parallel_workers_per_gather=0"
    assert database_from_url("postgres://h/blog")["OPTIONS"]["options"] == plain
    own = database_from_url("postgres://h/blog?options=-c%20statement_timeout%3D5000")
    assert own["OPTIONS"]["options"] == f"-c statement_timeout=5000 {plain}"
    chosen = "-c max_parallel_workers_per_gather=2"
    told = database_from_url("postgres://h/blog?options=" + chosen.replace(" ", "%20"))
    assert told["OPTIONS"]["options"] == chosen
    monkeypatch.setenv("DATABASE_PARALLEL_WORKERS", "")
    assert "options" not in database_from_url("postgres://h/blog")["OPTIONS"]
    assert "options" not in database_from_url("sqlite:////var/blog/db.sqlite3")["OPTIONS"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL session setting")
def test_the_running_connection_has_parallel_query_off(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_postgresql_connections_are_kept_open_and_health_checked(monkeypatch):
    assert database_from_url("postgresql://h/blog")["CONN_MAX_AGE"] == 60
    assert database_from_url("postgres://h/blog")["CONN_HEALTH_CHECKS"] is True
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "0")
    assert database_from_url("postgres://h/blog")["CONN_MAX_AGE"] == 0


def test_sqlite_urls_name_a_file_or_memory():
    assert database_from_url("sqlite:////var/blog/db.sqlite3") == {
        **database_from_url("sqlite:////var/blog/db.sqlite3"),
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/var/blog/db.sqlite3",
    }
    assert database_from_url("sqlite://:memory:")["NAME"] == ":memory:"


@pytest.mark.parametrize("url", ["mysql://h/blog", "nosuch://h/blog"])
def test_an_unsupported_database_is_a_clear_configuration_error(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url)


def test_every_model_change_has_its_migration(db):
    """A model changed without its migration would deploy a schema the code does not expect."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as missing:
        raise AssertionError(f"missing migrations:\n{out.getvalue()}") from missing
