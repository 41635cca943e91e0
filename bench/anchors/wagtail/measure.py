"""The Wagtail anchor: a Wagtail post page measured in the same run as our pages.

bench/measure.py calls `measure()` with its own `wrk` function. Everything Wagtail runs in
the anchor's own virtualenv (./setup builds it), in subprocesses: our code never imports
Wagtail. The anchor uses its own database, `wagtail_anchor`, on the PostgreSQL server of
the DATABASE_URL it is given (dropped and created again each run), or SQLite in the work
directory when that URL is not PostgreSQL.

Modes, each gunicorn with 2 sync workers on 127.0.0.1, DEBUG off:
- "uncached": every request renders the page;
- "cached": Django's per-site cache middleware on a local-memory cache (each worker's own
  memory), as Wagtail sites commonly run;
- "cached-redis": the same middleware on Django's RedisCache (when CACHE_URL is redis://).
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

NAME = "Wagtail post page (anchor)"
HERE = Path(__file__).resolve().parent
PYTHON = HERE / ".venv" / "bin" / "python"
GUNICORN = HERE / ".venv" / "bin" / "gunicorn"
DATABASE = "wagtail_anchor"
POSTS = 1000

# Run with the anchor's manage.py: the post to measure (the middle one, as bench/measure.py
# picks ours), its size and the SQL queries of one uncached render after a warm-up request.
PROBE = r"""
import json
import django, wagtail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from posts.models import BlogPostPage
pages = BlogPostPage.objects.live().order_by("pk")
page = pages[pages.count() // 2]
client = Client(HTTP_HOST="127.0.0.1")
client.get(page.url)  # warm: per-process caches, as a running server has them
with CaptureQueriesContext(connection) as captured:
    response = client.get(page.url)
assert response.status_code == 200, response.status_code
print("PROBE " + json.dumps({"path": page.url, "bytes": len(response.content),
    "queries": len(captured), "posts": pages.count(),
    "versions": {"Wagtail": wagtail.__version__, "Django": django.get_version()}}))
"""


def measure(
    wrk, duration, connections, database_url, cache_url, results, work_dir, posts=POSTS, port=None
):
    """Measure the anchor's post page in each mode; store the rows in `results`.

    `wrk(url, duration, connections)` is bench/measure.py's (a dict with rate, p50, p99,
    errors). Rows go in results[("Wagtail post page (anchor)", mode)] for mode in
    "uncached", "cached" and, with a redis:// `cache_url`, "cached-redis". Returns a dict:
    {"measured": True, "bytes", "queries" (one uncached render), "path", "posts",
    "versions"}; or, when the anchor cannot be built or run (no network for its first
    setup, say), {"measured": False, "reason"} and one row named "... not measured:
    <reason>" with zeros, as bench/measure.py records a failed nginx part.
    """
    work_dir = Path(work_dir)
    setup = subprocess.run([str(HERE / "setup")], capture_output=True, text=True)
    if setup.returncode != 0:
        reason = (setup.stderr.strip().splitlines() or ["setup failed"])[-1]
        return not_measured(results, f"its virtualenv could not be built ({reason})")
    env = anchor_env(database_url, work_dir)
    port = port or free_port()
    try:
        fresh_database(database_url, env)
        manage(env, "migrate", "--noinput")
        manage(env, "makepages", "--posts", str(posts))
        probe = json.loads(manage(env, "shell", "-c", PROBE).rpartition("PROBE ")[2])
        url = f"http://127.0.0.1:{port}{probe['path']}"
        modes = {"uncached": "none", "cached": "locmem"}
        if (cache_url or "").startswith(("redis://", "rediss://")):
            modes["cached-redis"] = "redis"
        for mode, cache in modes.items():
            server = start_gunicorn(env, cache, cache_url, port, work_dir)
            try:
                wait_for(url, server)
                wrk(url, 1, connections)  # warm up: imports, connections, the cache
                results[(NAME, mode)] = wrk(url, duration, connections)
            finally:
                stop(server)
    except (OSError, RuntimeError, ValueError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", None) or str(error)
        return not_measured(results, str(detail).strip().splitlines()[-1])
    return {"measured": True, **probe}


def not_measured(results, reason):
    results[(f"{NAME}: not measured: {reason}", "anchor")] = {
        "rate": 0,
        "p50": 0,
        "p99": 0,
        "errors": 0,
    }
    return {"measured": False, "reason": reason}


def anchor_url(database_url):
    """The same server as `database_url`, the anchor's own database on it."""
    parts = urlsplit(database_url or "")
    if parts.scheme not in {"postgres", "postgresql"}:
        return ""
    return parts._replace(path=f"/{DATABASE}").geturl()


def anchor_env(database_url, work_dir):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV", "CACHE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="anchor_site.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=anchor_url(database_url),
        ANCHOR_SQLITE=str(work_dir / "wagtail-anchor.sqlite3"),
        ANCHOR_CACHE="none",
    )
    return env


def fresh_database(database_url, env):
    """Drop and create `wagtail_anchor` (PostgreSQL), or delete the SQLite file."""
    if not env["DATABASE_URL"]:
        Path(env["ANCHOR_SQLITE"]).unlink(missing_ok=True)
        return
    import psycopg  # our venv's: only when the benchmark runs on PostgreSQL
    from psycopg import sql

    try:
        connection = psycopg.connect(database_url, dbname="postgres", autocommit=True)
    except psycopg.OperationalError:  # no maintenance database: the given one will do
        connection = psycopg.connect(database_url, autocommit=True)
    with connection:
        name = sql.Identifier(DATABASE)
        try:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
        except psycopg.Error as error:
            raise RuntimeError(f"could not create the {DATABASE} database: {error}") from error


def manage(env, *args):
    return subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=HERE,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env, cache, cache_url, port, work_dir):
    env = {**env, "ANCHOR_CACHE": cache, "CACHE_URL": cache_url or ""}
    with open(work_dir / "wagtail-anchor-gunicorn.log", "a") as log:
        return subprocess.Popen(
            [str(GUNICORN), "anchor_site.wsgi", "--workers", "2", "--worker-class", "sync",
             "--bind", f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning"],
            cwd=HERE, env=env, stdout=subprocess.DEVNULL, stderr=log,
            start_new_session=True,  # its own process group: stopped whole, by its id
        )  # fmt: skip


def wait_for(url, server, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see its log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def stop(server):
    """gunicorn's master stops its workers on SIGTERM; if it hangs, kill its group."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
