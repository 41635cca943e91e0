"""DATABASE_URL is parsed by dj-database-url: options kept, connections reused on PostgreSQL."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import database_from_url


def test_query_options_such_as_sslmode_are_kept():
    config = database_from_url("postgres://blog:s%40cret@db.internal:5433/blog?sslmode=verify-full")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"]) == ("blog", "s@cret")
    assert (config["HOST"], str(config["PORT"]), config["NAME"]) == ("db.internal", "5433", "blog")
    assert config["OPTIONS"] == {"sslmode": "verify-full"}


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
