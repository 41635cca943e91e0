"""Measure the blog under load; called by bench/run with DATABASE_URL and CACHE_URL set.

Generates the data, starts gunicorn (production settings, 2 sync workers) on 127.0.0.1,
and runs wrk (16 connections, bounded in time) against each page, first with the page
cache off (every request renders) and then on; then nginx in front with proxy_cache, and
nginx serving the same post page as a static file. Prints a table and writes it to
bench/results.md with the machine's description.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SECRET_KEY = secrets.token_urlsafe(50)
APP_PORT = free_port()
NGINX_PORT = free_port()


def django_env(**extra):
    env = dict(os.environ)
    env.update(
        DJANGO_PRODUCTION="1",
        SECRET_KEY=SECRET_KEY,  # one for every process: sessions made by one work in all
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        BENCHMARK_URLS="1",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=str(WORK / "static"),
        # The benchmark posts many comments from one address.
        COMMENTS_RATE_LIMIT=os.environ.get("COMMENTS_RATE_LIMIT", "1000000/60"),
    )
    env.update(extra)
    return env


def manage(*args, env=None):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env or django_env(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout


# Run inside Django: the URLs to measure, and the SQL queries each page costs uncached.
# Public pages are measured with and without the page cache; staff pages (a session cookie)
# always render.
PROBE = r"""
import json
import tracemalloc
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from blog.models import Citation, Comment, Post, Tag
from blog.paging import cursor
from blog.quotation_pages import SPEAKER_ORDER
from blog.sitemaps import PostSitemap
from quotes.models import Quotation, Source, Speaker

posts = Post.objects.published().order_by("-published_at")
post = posts[posts.count() // 2]
when = post.published_on
busiest = lambda model, path: model.objects.annotate(n=Count(path)).order_by("-n").first()
speaker = busiest(Speaker, "quotations")
source = busiest(Source, "quotations")
tag = busiest(Tag, "posts")
quotation = Quotation.objects.get(pk=Citation.objects.values("quotation_id")
    .annotate(n=Count("post")).order_by("-n").values("quotation_id")[:1])
deep = posts[min(500, posts.count() - 1)]
said = SPEAKER_ORDER.ordered(speaker.quotations.public())
# A full page deep in the list (the 500th, or halfway for a speaker with fewer): past the
# last one the page is empty, and asks one more query whether the speaker is public at all.
deep_said = SPEAKER_ORDER.cursor(said[min(500, said.count() // 2)])
targets = {
    "framework floor (20 KB, no middleware)": reverse("bench-floor"),
    "bare view (20 KB)": reverse("bench-bare"),
    "front page": "/",
    "front page, a deep page": f"/?before={cursor(deep)}",
    "post page": post.get_absolute_url(),
    "year archive": f"/{when:%Y}/",
    "month archive": f"/{when:%Y/%m}/",
    "tag page": tag.get_absolute_url(),
    "tag index": reverse("blog:tags"),
    "speakers index": reverse("quotes:speakers"),
    "sources index": reverse("quotes:sources"),
    "speaker page": speaker.get_absolute_url(),
    "speaker page, a deep page": f"{speaker.get_absolute_url()}?qbefore={deep_said}",
    "source page": source.get_absolute_url(),
    "quotation page": quotation.get_absolute_url(),
    "Atom feed": reverse("blog:feed_atom"),
    "RSS feed": reverse("blog:feed_rss"),
    "tag feed": tag.get_absolute_url() + "feed.atom",
    "speaker feed": reverse("quotes:speaker_feed_atom", args=[speaker.slug]),
    "source feed": reverse("quotes:source_feed_atom", args=[source.slug]),
    "search": reverse("blog:search") + "?q=treaty",
    "sitemap index": "/sitemap.xml",
    "sitemap section (its last page)": f"/sitemap-posts.xml?p={PostSitemap().paginator.num_pages}",
}
user = get_user_model().objects.get(username="bench-editor")
user.is_staff = user.is_superuser = True
user.save()
for i in range(50):  # a moderation queue to look at
    Comment.objects.create(post=post, name="Reader", email="q@example.org", text=f"Held {i}.")
staff = Client(HTTP_HOST="127.0.0.1")
staff.force_login(user)
staff_targets = {
    "admin: post list": reverse("admin:blog_post_changelist"),
    "admin: post form": reverse("admin:blog_post_change", args=[post.pk]),
    "admin: quotation finder": reverse("admin:autocomplete")
    + "?app_label=blog&model_name=post&field_name=quotations&term=treaty",
    "admin: moderation queue": reverse("admin:blog_comment_changelist") + "?status__exact=pending",
}
client = Client(HTTP_HOST="127.0.0.1")
queries, sizes, memory = {}, {}, {}
for name, url in [*targets.items(), *staff_targets.items()]:
    who = staff if name in staff_targets else client
    who.get(url)  # warm: per-process caches, as a running server has them
    with CaptureQueriesContext(connection) as captured:
        response = who.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries[name] = len(captured)
    sizes[name] = len(response.content)
    tracemalloc.start()  # the Python memory one request of the page allocates at its peak
    who.get(url)
    memory[name] = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
print("PROBE " + json.dumps({"targets": targets, "staff_targets": staff_targets,
    "cookie": f"sessionid={staff.cookies['sessionid'].value}", "queries": queries,
    "sizes": sizes, "memory": memory, "comment_url": reverse("blog:comment", args=[post.pk]),
    "post_id": post.pk}))
"""

# A moderator approving one comment a second on an old post (not on the front page), with
# the code the admin's buttons run; prints how many it approved.
APPROVER = r"""
import sys, time
from django.contrib.auth import get_user_model
from blog.comments import moderation
from blog.models import Comment, Post
post = Post.objects.published().order_by("published_at").first()
moderator = get_user_model().objects.get(username="bench-editor")
pending = [Comment.objects.create(post=post, name="Reader", email="r@example.org",
                                  text=f"Comment {i}.") for i in range(SECONDS + 5)]
print("READY", flush=True)
started, done = time.monotonic(), 0
while time.monotonic() - started < SECONDS:
    moderation.moderate(Comment.objects.filter(pk=pending[done].pk), "approved", moderator)
    done += 1
    time.sleep(max(0, started + done - time.monotonic()))
print("APPROVED", done, flush=True)
"""

# Rename the speaker quoted in the most posts through the admin's change view (its request
# path, in process), then wait for the worker to render every citing post again.
RENAME = r"""
import json, time
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from blog.models import Citation, Post, RENDER_VERSION
from quotes.models import Speaker
speaker = (Speaker.objects.annotate(n=Count("quotations__citation__post", distinct=True))
           .order_by("-n").first())
user = get_user_model().objects.get(username="bench-editor")
user.is_staff = user.is_superuser = True
user.save()
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
url = reverse("admin:quotes_speaker_change", args=[speaker.pk])
data = {"name": speaker.name + " (renamed)", "description": speaker.description,
        "url": speaker.url, "slug": speaker.slug}
started = time.monotonic()
with CaptureQueriesContext(connection) as queries:
    response = client.post(url, data)
saved = time.monotonic() - started
assert response.status_code == 302, response.status_code
citing = Post.objects.filter(pk__in=Citation.objects.filter(
    quotation__speaker=speaker).values("post_id"))
while citing.filter(rendered_with__lt=RENDER_VERSION).exists():
    time.sleep(0.2)
fresh = time.monotonic() - started
renamed = citing.filter(article_html__contains=data["name"]).count()
print("RENAME " + json.dumps({"posts": speaker.n, "save_seconds": saved,
      "save_queries": len(queries), "fresh_seconds": fresh, "renamed_posts": renamed}))
"""

COMMENT_LUA = """
wrk.method = "POST"
wrk.body = "name=Load+Test&email=load%40example.org&url=&text=A+benchmark+comment.&website="
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = "http://127.0.0.1:{port}"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
"""


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: {url} did not answer in {timeout} s")


def start_gunicorn(page_cache, shared_seconds=0):
    env = django_env(
        PAGE_CACHE="1" if page_cache else "0",
        PAGE_CACHE_SHARED_SECONDS=str(shared_seconds),
        WEB_CONCURRENCY="2",
        # Steady state: no worker recycling in the middle of a 10 s measurement.
        GUNICORN_MAX_REQUESTS="0",
    )
    process = subprocess.Popen(
        [GUNICORN, "config.wsgi", "-c", "config/gunicorn.conf.py", "--bind",
         f"127.0.0.1:{APP_PORT}", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(WORK / "gunicorn.log", "a"),
    )  # fmt: skip
    wait_for(f"http://127.0.0.1:{APP_PORT}/healthz")
    return process


def worker_memory_mb(master):
    """Resident memory of each worker of a gunicorn master, in MB."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


# What every browser sends: the page cache then serves its gzip copy as stored.
BROWSER_HEADERS = ("Accept-Encoding: gzip, deflate, br",)


def wrk(url, duration, connections, script=None, headers=BROWSER_HEADERS):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if script:
        command += ["-s", script]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = parse_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = parse_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"rate": rate, "p50": p50, "p99": p99, "errors": int(non_2xx.group(1)) if non_2xx else 0}


def parse_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}[unit]


def nginx_config(static_dir, cache_dir):
    return f"""
worker_processes 2;
pid {WORK}/nginx.pid;
error_log {WORK}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    proxy_cache_path {cache_dir} levels=1:2 keys_zone=pages:10m max_size=100m inactive=10m;
    server {{
        listen 127.0.0.1:{NGINX_PORT};
        location /static-copy/ {{ alias {static_dir}/; }}
        location / {{
            proxy_pass http://127.0.0.1:{APP_PORT};
            proxy_set_header Host $host:$server_port;
            include {ROOT}/docs/nginx-proxy-cache.conf;
        }}
    }}
}}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--staff-connections",
        type=int,
        default=2,
        help="staff pages: a few editors at once, so p50 is a page's own time, not a queue",
    )
    parser.add_argument("--output", default="bench/results.md", help="where the table goes")
    parser.add_argument("--comments", type=int, default=30, help="approved comments a post")
    parser.add_argument("--speakers", type=int, default=500)
    args = parser.parse_args()

    print(f"bench: generating {args.posts} posts", flush=True)
    manage("migrate", "--noinput")
    started = time.monotonic()
    generated = manage(
        "gendata", "--posts", str(args.posts), "--comments", str(args.comments),
        "--speakers", str(args.speakers),
    )  # fmt: skip
    gendata_seconds = time.monotonic() - started
    print(f"bench: gendata took {gendata_seconds:.0f} s", flush=True)
    for line in generated.replace("\r", "\n").splitlines():  # its phases, not its progress
        if line.strip() and not line.startswith(" "):
            print(f"bench:   {line}", flush=True)
    manage("collectstatic", "--noinput")
    output = manage("shell", "-c", PROBE, env=django_env(PAGE_CACHE="0"))
    probe = json.loads(output.rpartition("PROBE ")[2])
    targets = probe["targets"]
    base = f"http://127.0.0.1:{APP_PORT}"

    results, memory = {}, {}
    lua = WORK / "comment.lua"
    lua.write_text(COMMENT_LUA.format(port=APP_PORT))
    for mode, page_cache in (("uncached", False), ("cached", True)):
        server = start_gunicorn(page_cache)
        try:
            for name, path in targets.items():
                wrk(base + path, 1, args.connections)  # warm up: imports, connections, cache
                results[(name, mode)] = wrk(base + path, args.duration, args.connections)
                print(f"bench: {mode:8} {name:18} {results[(name, mode)]}", flush=True)
            if mode == "uncached":
                cookie = f"Cookie: {probe['cookie']}"
                for name, path in probe["staff_targets"].items():
                    staff_page = urllib.request.Request(
                        base + path, headers={"Cookie": probe["cookie"]}
                    )
                    with urllib.request.urlopen(staff_page) as response:  # not the login page
                        assert response.url == base + path, (path, response.url)
                    staff_headers = [cookie, *BROWSER_HEADERS]
                    wrk(base + path, 1, args.staff_connections, headers=staff_headers)
                    results[(name, "staff")] = wrk(
                        base + path, args.duration, args.staff_connections, headers=staff_headers
                    )
                    print(f"bench: staff    {name:18} {results[(name, 'staff')]}", flush=True)
            if mode == "cached":
                for name in ["post page", "front page", "speaker page", "search"]:
                    results[(name, "cached, 1 approval/s")] = while_approving(
                        base + targets[name], args
                    )
                    print(f"bench: approving {name:18} {results[(name, 'cached, 1 approval/s')]}")
            if mode == "uncached":
                url = base + probe["comment_url"]
                results[("comment POST", mode)] = wrk(url, args.duration, args.connections, lua)
                print(f"bench: comment POST {results[('comment POST', mode)]}", flush=True)
            memory[mode] = worker_memory_mb(server)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    rename = measure_rename()
    print(f"bench: rename {rename}", flush=True)

    # The anchor: a Wagtail post page, uncached and with its per-site cache, in this run.
    from bench.anchors.wagtail import measure as wagtail_anchor

    anchor = wagtail_anchor.measure(
        wrk, args.duration, args.connections, os.environ["DATABASE_URL"],
        os.environ.get("CACHE_URL", ""), results, WORK,
    )  # fmt: skip
    print(f"bench: Wagtail anchor {anchor}", flush=True)

    # nginx: proxy_cache in front of the cached app, and the same page as a static file.
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    try:
        measure_nginx(nginx, base, targets, args, results)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"bench: nginx part failed: {error}", flush=True)
        results[(f"nginx part failed: {error}", "nginx")] = {
            "rate": 0,
            "p50": 0,
            "p99": 0,
            "errors": 0,
        }

    report = render_report(args, probe, results, memory, gendata_seconds, rename, anchor)
    (ROOT / args.output).write_text(report)
    print(report)


def while_approving(url, args):
    """wrk on `url` while another process approves one comment a second on an old post."""
    code = APPROVER.replace("SECONDS", str(args.duration + 2))
    approver = subprocess.Popen(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=django_env(), stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    for line in approver.stdout:
        if line.startswith("READY"):
            break
    wrk(url, 1, args.connections)
    result = wrk(url, args.duration, args.connections)
    result["approved"] = int(approver.communicate(timeout=60)[0].split("APPROVED")[-1])
    return result


def measure_rename():
    """The busiest speaker renamed in the admin with one db_worker running."""
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--interval", "0.2"],
        cwd=ROOT, env=django_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        output = manage("shell", "-c", RENAME)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    return json.loads(output.rpartition("RENAME ")[2])


def measure_nginx(nginx, base, targets, args, results):
    """nginx proxy_cache in front of the cached app, and the same page as a static file."""
    if Path(nginx).exists():
        static_dir = WORK / "static-copy"
        static_dir.mkdir()
        # nginx's workers run as an unprivileged user: let them read and cache here.
        WORK.chmod(0o755)
        static_dir.chmod(0o755)
        (WORK / "nginx-cache").mkdir(mode=0o777)
        (WORK / "nginx-cache").chmod(0o777)
        # nginx may keep pages 5 s (the staleness bound of that setup; see docs).
        server = start_gunicorn(True, shared_seconds=5)
        try:
            post_url = base + targets["post page"]
            with urllib.request.urlopen(post_url) as response:
                (static_dir / "post.html").write_bytes(response.read())
            (static_dir / "post.html").chmod(0o644)
            config = WORK / "nginx.conf"
            config.write_text(nginx_config(static_dir, WORK / "nginx-cache"))
            subprocess.run([nginx, "-c", str(config)], check=True)
            try:
                front = f"http://127.0.0.1:{NGINX_PORT}"
                for name, path in (
                    ("post page via nginx proxy_cache", targets["post page"]),
                    ("post page as a static file (nginx)", "/static-copy/post.html"),
                ):
                    wrk(front + path, 1, args.connections)
                    results[(name, "nginx")] = wrk(front + path, args.duration, args.connections)
                    print(f"bench: {name} {results[(name, 'nginx')]}", flush=True)
            finally:
                subprocess.run([nginx, "-c", str(config), "-s", "stop"], check=False)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def wagtail_anchor_name():
    from bench.anchors.wagtail.measure import NAME

    return NAME


def machine():
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    versions = subprocess.run(
        [PYTHON, "-c", "import django, psycopg; print(django.get_version(), psycopg.__version__)"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return (
        f"{cpu.group(1) if cpu else platform.machine()}, {os.cpu_count()} cores, "
        f"{int(memory.group(1)) // 1024 // 1024} GiB; {platform.platform()}; "
        f"Python {platform.python_version()}, Django {versions[0]}, psycopg {versions[1]}"
    )


def render_report(args, probe, results, memory, gendata_seconds, rename, anchor):
    bare = results[("bare view (20 KB)", "uncached")]["rate"]
    floor = results[("framework floor (20 KB, no middleware)", "uncached")]["rate"]
    lines = [
        "# Benchmark results",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/run --posts "
        f"{args.posts} --duration {args.duration}`.",
        "",
        f"Machine: {machine()}.",
        "",
        f"Setup: gunicorn, 2 sync workers, production settings (`DJANGO_PRODUCTION=1`), "
        f"PostgreSQL and Redis on 127.0.0.1; wrk 2 threads, {args.connections} connections, "
        f"{args.duration} s per target after a 1 s warm-up. Data: `gendata --posts "
        f"{args.posts} --comments {args.comments} --speakers {args.speakers}` took "
        f'{gendata_seconds:.0f} s. "Uncached": `PAGE_CACHE=0`, every '
        'request renders; "cached": the shared page cache on.',
        "",
        'Requests carry `Accept-Encoding: gzip, deflate, br` as browsers\' do. "x bare view" '
        'compares with a 20 KB view behind the full middleware stack, "x floor" with the '
        "same view served by Django with no middleware at all (bench/wsgi.py). Staff pages "
        f"are measured with {args.staff_connections} connections (a few editors at once: p50 "
        'is the page\'s own time, not a queue behind 16 others); "Python MB" is the peak '
        "memory one request of the page allocates (tracemalloc, in the probe).",
        "",
        "| page | mode | req/s | p50 ms | p99 ms | bytes | SQL queries | x bare view | x floor "
        "| errors | Python MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (name, mode), result in results.items():
        size = probe["sizes"].get(name.replace(" via nginx proxy_cache", ""), "")
        queries = probe["queries"].get(name, "") if mode in {"uncached", "staff"} else ""
        if name == wagtail_anchor_name() and anchor.get("measured"):
            size, queries = anchor["bytes"], anchor["queries"] if mode == "uncached" else ""
        if name.startswith("post page") and mode == "nginx":
            size = probe["sizes"]["post page"]
        peak = probe["memory"].get(name) if mode in {"uncached", "staff"} else None
        lines.append(
            f"| {name} | {mode} | {result['rate']:,.0f} | {result['p50']:.1f} | "
            f"{result['p99']:.1f} | {size} | {queries} | {result['rate'] / bare:.2f} | "
            f"{result['rate'] / floor:.2f} | {result['errors']} | "
            f"{'' if peak is None else f'{peak:.1f}'} |"
        )
    cached = {name: r for (name, mode), r in results.items() if mode == "cached"}
    lines += [
        "",
        "While one comment a second is approved on an old post (the moderation code the "
        "admin runs, in another process), against the same page without writes:",
        "",
        "| page | req/s with approvals | x without | p99 ms | x p99 without | approved |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for (name, mode), result in results.items():
        if mode == "cached, 1 approval/s":
            alone = cached[name]
            lines.append(
                f"| {name} | {result['rate']:,.0f} | {result['rate'] / alone['rate']:.2f} | "
                f"{result['p99']:.1f} | {result['p99'] / max(alone['p99'], 0.001):.2f} | "
                f"{result['approved']} |"
            )
    lines += [
        "",
        f"Renaming the speaker cited by the most posts ({rename['posts']:,}) through the "
        f"admin's change view: the save took {rename['save_seconds'] * 1000:.0f} ms "
        f"({rename['save_queries']} SQL queries); with one `db_worker`, every citing post was "
        f"rendered again {rename['fresh_seconds']:.1f} s after the save began "
        f"({rename['renamed_posts']:,} show the new name).",
    ]
    if anchor.get("measured"):
        versions = ", ".join(f"{k} {v}" for k, v in anchor["versions"].items())
        lines += [
            "",
            f"The Wagtail anchor ({versions}; bench/anchors/wagtail): a blog post page of "
            f"{anchor['bytes']:,} bytes among {anchor['posts']:,} pages, gunicorn with 2 "
            "sync workers, uncached, with Django's per-site cache middleware on a "
            'local-memory cache ("cached", as Wagtail sites commonly run) and on Redis.',
        ]
    lines += ["", "Worker memory after the runs (RSS, MB): "]
    for mode, sizes in memory.items():
        lines[-1] += f"{mode}: {', '.join(f'{size:.0f}' for size in sizes)}; "
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    WORK = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(0)
