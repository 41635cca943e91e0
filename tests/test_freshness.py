"""Stored and cached pages stay right, at a cost that does not grow with the blog."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog import rendering
from blog.comments import moderation
from blog.models import Citation, Comment, Post
from ops import pagecache
from quotes.models import Quotation, Speaker
from tests.tools import manage, site_env

ROOT = Path(__file__).resolve().parent.parent


def post_form(post, updates):
    """What the admin's change form submits for `post` and its existing `updates`."""
    local = timezone.localtime(post.published_at)
    data = {
        "title": post.title,
        "body": post.body + "\n\nEdited.",
        "status": post.status,
        "published_at_0": f"{local:%Y-%m-%d}",
        "published_at_1": f"{local:%H:%M:%S}",
        "slug": post.slug,
        "author": post.author_id,
        "excerpt": "",
        "comments_open": "on",
        "updates-TOTAL_FORMS": str(len(updates)),
        "updates-INITIAL_FORMS": str(len(updates)),
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
    }
    for i, update in enumerate(updates):
        when = timezone.localtime(update.timestamp)
        data |= {
            f"updates-{i}-id": str(update.pk),
            f"updates-{i}-post": str(post.pk),
            f"updates-{i}-kind": update.kind,
            f"updates-{i}-placement": update.placement,
            f"updates-{i}-timestamp_0": f"{when:%Y-%m-%d}",
            f"updates-{i}-timestamp_1": f"{when:%H:%M:%S}",
            # A field with a callable default sends its initial value too (Django admin).
            f"initial-updates-{i}-timestamp_0": f"{when:%Y-%m-%d}",
            f"initial-updates-{i}-timestamp_1": f"{when:%H:%M:%S}",
            f"updates-{i}-body": update.body,
        }
    return data


@pytest.fixture
def spy(monkeypatch):
    """Count calls of a function while still calling it (how often work is done)."""

    def watch(module, name):
        calls = []
        real = getattr(module, name)

        def counted(*args, **kwargs):
            calls.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
        return calls

    return watch


def save_through_admin(client, post, spy, committed):
    ContentType.objects.clear_cache()  # each save then finds the admin log's type alike
    bodies = spy(rendering, "render_body")
    purges = spy(pagecache, "purge")
    with committed(), CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("admin:blog_post_change", args=[post.pk]),
            post_form(post, list(post.updates.all())),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    if os.environ.get("SHOW_QUERIES"):
        print("\n".join(q["sql"][:160] for q in queries.captured_queries))
    return len(queries), len(bodies), len(purges)


def test_an_admin_save_renders_once_and_purges_once_whatever_the_updates(
    admin_client, make_post, quotation, spy, committed
):
    counts = []
    for n in (3, 6):
        updates = [
            {"body": f"Update {i} [[q:{quotation.pk}]]", "timestamp": minute_ago()}
            for i in range(n)
        ]
        # To the second, as the admin form sends it back: the save edits the body alone.
        hour_ago = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
        post = make_post(f"[[quote:{quotation.pk}]]", updates=updates, published_at=hour_ago)
        counts.append(save_through_admin(admin_client, post, spy, committed))
        assert "Edited." in Post.objects.get(pk=post.pk).body_html
    (queries_3, bodies_3, purges_3), (queries_6, bodies_6, purges_6) = counts
    assert bodies_3 == bodies_6 == 1  # the body is rendered once per save
    assert purges_3 == purges_6 == 1  # and the cache purged once, after the commit
    # 32: one writes the revision (revisions/), one checks its quotations (integrity/editors.py)
    assert queries_3 == queries_6 <= 32


def minute_ago():
    return (timezone.now() - datetime.timedelta(minutes=1)).replace(microsecond=0)


def cite(make_post, quotation, n):
    return [
        make_post(f"[[quote:{quotation.pk}]]", title=f"Citing {quotation.pk}-{i}") for i in range(n)
    ]


def rename_through_admin(client, speaker, name):
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("admin:quotes_speaker_change", args=[speaker.pk]),
            {"name": name, "description": speaker.description, "url": "", "slug": speaker.slug},
        )
    assert response.status_code == 302
    return len(queries)


def test_renaming_a_speaker_costs_the_same_for_5_or_200_citing_posts(
    admin_client, make_post, make_quotation, run_worker
):
    costs = []
    for n, name in [(5, "Few"), (200, "Many")]:
        speaker = Speaker.objects.create(name=f"{name} Cited")
        quotation = make_quotation(f"Words of {name}.", speaker=speaker)
        posts = cite(make_post, quotation, n)
        costs.append(rename_through_admin(admin_client, speaker, f"{name} Renamed"))
        assert Post.objects.filter(pk__in=[p.pk for p in posts], rendered_with=0).count() == n
        run_worker()
        for post in Post.objects.filter(pk__in=[p.pk for p in posts]):
            assert f"{name} Renamed" in post.article_html and not post.is_stale
    assert costs[0] == costs[1]


def test_the_worker_renders_a_batch_in_queries_that_do_not_grow_with_it(make_post, make_quotation):
    from freshness.tasks import render_stale_now

    costs = []
    for n in (3, 30):
        posts = cite(make_post, make_quotation(f"Words cited {n} times."), n)
        Post.objects.filter(pk__in=[p.pk for p in posts]).update(rendered_with=0)
        with CaptureQueriesContext(connection) as queries:
            rendered, failed, finished = render_stale_now()
        assert (rendered, failed, finished) == (n, set(), True)
        costs.append(len(queries))
    assert costs[0] == costs[1]


def test_one_post_that_cannot_render_leaves_the_rest_of_its_batch_rendered(
    make_post, quotation, monkeypatch
):
    from freshness.tasks import render_stale_now

    posts = cite(make_post, quotation, 5)
    broken = posts[2]
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(rendered_with=0, title="Renamed")
    assemble = rendering.assemble

    def fails_for_one(post, *args):
        if post.pk == broken.pk:
            raise RuntimeError("injected")
        return assemble(post, *args)

    monkeypatch.setattr(rendering, "assemble", fails_for_one)
    rendered, failed, finished = render_stale_now()
    assert (rendered, finished) == (4, True)
    assert failed == {(Post, broken.pk)}
    for post in Post.objects.filter(pk__in=[p.pk for p in posts]):
        assert post.is_stale == (post.pk == broken.pk)
        assert ("Renamed" in post.article_html) == (post.pk != broken.pk)


def test_a_stale_post_is_rendered_on_read_before_its_job_runs(client, make_post, quotation):
    post = make_post(f"[[quote:{quotation.pk}]]")
    quotation.speaker.name = "Dmitry Medvedev"
    quotation.speaker.save()
    assert Post.objects.get(pk=post.pk).is_stale
    assert "Dmitry Medvedev" in client.get(post.get_absolute_url()).content.decode()
    assert not Post.objects.get(pk=post.pk).is_stale  # and stored


def test_a_comment_approved_during_an_editors_save_stays_on_the_page(
    client, make_post, make_comment, admin_user
):
    post = make_post()
    comment = make_comment(post, "Approved meanwhile.")
    editing = Post.objects.get(pk=post.pk)  # the editor's copy: no comment yet
    moderation.moderate(Comment.objects.filter(pk=comment.pk), "approved", admin_user)
    editing.title = "Edited title"
    editing.save()  # used to write its stale comments block and count back
    stored = Post.objects.get(pk=post.pk)
    assert stored.comment_count == 1 and "Approved meanwhile." in stored.comments_html
    html = client.get(stored.get_absolute_url()).content.decode()
    assert "Approved meanwhile." in html and "1 comment" in html and "Edited title" in html


def test_a_render_that_read_before_an_approval_cannot_hide_it(make_post, make_comment, admin_user):
    """A renderer derives from the rows under the post's lock: an approval committed
    before it runs is in what it writes, whenever its caller loaded the post."""
    post = make_post()
    loaded_before = Post.objects.get(pk=post.pk)
    comment = make_comment(post, "Not lost.")
    moderation.moderate(Comment.objects.filter(pk=comment.pk), "approved", admin_user)
    rendering.render_post(loaded_before.pk)
    stored = Post.objects.get(pk=post.pk)
    assert stored.comment_count == 1 and "Not lost." in stored.comments_html


def test_a_quotation_taken_out_of_an_excerpt_leaves_it_and_its_posts(
    admin_client, make_quotation, make_post, speaker, run_worker
):
    excerpt = make_quotation("“Nobody links these,” he said.")
    inner = make_quotation("Nobody links these.", speaker=speaker, within=excerpt)
    post = make_post(f"[[quote:{excerpt.pk}]]")
    assert set(post.quotations.all()) == {excerpt, inner}
    inner.within = None
    inner.save()
    excerpt.refresh_from_db()
    assert f"/quotes/{inner.pk}/" not in excerpt.block_html  # the excerpt, at once
    with pytest.raises(Exception, match="protected"):
        Quotation.objects.get(pk=inner.pk).delete()  # the post still shows it
    run_worker()
    post.refresh_from_db()
    assert f"/quotes/{inner.pk}/" not in post.body_html
    assert list(post.quotations.all()) == [excerpt]
    Quotation.objects.get(pk=inner.pk).delete()  # nothing shows it any more
    assert not Citation.objects.filter(quotation_id=inner.pk).exists()


def test_a_quotation_put_into_a_cited_excerpt_is_protected_at_once(make_quotation, make_post):
    excerpt = make_quotation("“Nobody links these,” he said.")
    post = make_post(f"[[quote:{excerpt.pk}]]")
    inner = make_quotation("Nobody links these.")
    inner.within = excerpt
    inner.save()
    assert Citation.objects.filter(post=post, quotation=inner).exists()


def test_a_failure_half_way_through_an_admin_save_changes_nothing(
    admin_client, make_post, monkeypatch
):
    post = make_post("Before.")
    before = Post.objects.get(pk=post.pk)

    def broken(*args, **kwargs):
        raise RuntimeError("injected after the post row was written")

    monkeypatch.setattr(rendering, "assemble", broken)
    admin_client.raise_request_exception = False
    response = admin_client.post(
        reverse("admin:blog_post_change", args=[post.pk]), post_form(post, [])
    )
    assert response.status_code == 500
    after = Post.objects.get(pk=post.pk)
    assert (after.body, after.article_html) == (before.body, before.article_html)


def test_a_failure_half_way_through_moderation_changes_nothing(
    make_post, make_comment, admin_user, monkeypatch
):
    post = make_post()
    comment = make_comment(post, "Still pending.")

    def broken(*args, **kwargs):
        raise RuntimeError("injected after the status was written")

    monkeypatch.setattr(rendering, "approved_comment_blocks", broken)
    with pytest.raises(RuntimeError):
        moderation.moderate(Comment.objects.filter(pk=comment.pk), "approved", admin_user)
    assert Comment.objects.get(pk=comment.pk).status == "pending"
    assert Post.objects.get(pk=post.pk).comment_count == 0


def cache_state(client, url):
    return client.get(url)["X-Page-Cache"]


def test_approving_a_comment_purges_only_what_shows_it(
    client, make_post, make_quotation, make_comment, admin_user, committed
):
    """With the configured cache (Redis in CI's PostgreSQL run)."""
    medvedev, obama = Speaker.objects.create(name="Medvedev"), Speaker.objects.create(name="Obama")
    a = make_post(f"[[quote:{make_quotation('A words.', speaker=medvedev).pk}]]", title="A")
    b = make_post(f"[[quote:{make_quotation('B words.', speaker=obama).pk}]]", title="B")
    a.tags.create(name="Russia")
    b.tags.create(name="Economy")
    b_tag, a_tag = b.tags.get(), a.tags.get()
    pages = {
        "a": a.get_absolute_url(),
        "b": b.get_absolute_url(),
        "front": "/",
        "other speaker": obama.get_absolute_url(),
        "other tag": b_tag.get_absolute_url(),
        "a's tag": a_tag.get_absolute_url(),
    }
    for url in pages.values():
        client.get(url)
        assert cache_state(client, url) == "hit"
    comment = make_comment(a, "Approved now.")
    with committed():
        moderation.moderate(Comment.objects.filter(pk=comment.pk), "approved", admin_user)
    states = {name: cache_state(client, url) for name, url in pages.items()}
    assert states == {
        "a": "miss",
        "b": "hit",
        "front": "miss",  # it shows A's comment count
        "other speaker": "hit",
        "other tag": "hit",
        "a's tag": "hit",  # titles and summaries only
    }
    assert "Approved now." in client.get(pages["a"]).content.decode()


def test_cached_pages_say_what_they_show_for_a_cdn(client, make_post, quotation):
    post = make_post(f"[[quote:{quotation.pk}]]")
    response = client.get(post.get_absolute_url())
    keys = response["Surrogate-Key"].split()
    assert {f"post:{post.pk}", f"comments:{post.pk}", f"speaker:{quotation.speaker_id}"} <= set(
        keys
    )
    assert response["Cache-Tag"] == ",".join(keys)


def test_a_purge_hook_gets_the_keys_after_the_commit(settings, make_post, committed):
    settings.PAGE_CACHE_PURGE_HOOK = "tests.test_freshness.remember_purge"
    purged.clear()
    with committed():
        post = make_post()
    assert any(f"post:{post.pk}" in keys for keys in purged)


purged = []


def remember_purge(keys):
    purged.append(set(keys))


def test_after_a_purge_one_request_renders_while_the_others_get_the_old_copy(
    client, make_post, committed
):
    post = make_post()
    url = post.get_absolute_url()
    client.get(url)
    with committed():
        Post.objects.get(pk=post.pk).updates.create(body="News.")
    key = next(k for k in [pagecache.page_key(client.get(url).wsgi_request)])
    cache.delete("pc:lock:" + key)
    with committed():
        Post.objects.get(pk=post.pk).updates.create(body="More news.")
    cache.add("pc:lock:" + key, 1, timeout=10)  # another worker is rendering it
    response = client.get(url)
    assert response["X-Page-Cache"] == "stale" and "More news." not in response.content.decode()
    cache.delete("pc:lock:" + key)  # it has finished
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "More news." in response.content.decode()


def test_with_the_cache_unreachable_pages_still_answer(client, make_post, settings):
    post = make_post("Served from the database.")
    settings.CACHES = {
        "default": {
            "BACKEND": "ops.cache.SharedRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
        }
    }
    pagecache.health.down_until = 0
    try:
        for url in [post.get_absolute_url(), "/"]:
            response = client.get(url)
            assert response.status_code == 200
            assert response["X-Page-Cache"] == "off"
        assert "Served from the database." in client.get("/").content.decode()
    finally:
        pagecache.health.down_until = 0


def test_loaddata_of_a_dump_serves_the_same_pages(
    transactional_db, client, demo, tmp_path, settings
):
    settings.PAGE_CACHE_ENABLED = False
    urls = [post.get_absolute_url() for post in Post.objects.published()]
    before = {url: client.get(url).content for url in urls}
    dump = tmp_path / "blog.json"
    call_command(
        "dumpdata", "blog", "quotes", "integrity", "auth.user", output=str(dump), verbosity=0
    )
    call_command("flush", interactive=False, verbosity=0)
    assert not Post.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)
    # Tags are set before a post's updates are loaded: no post was rendered half loaded.
    assert not Post.objects.exclude(rendered_with=0).exists()
    assert {url: client.get(url).content for url in urls} == before
    # What a dump does not hold, SQLite's search index, is derived again.
    found = client.get(reverse("blog:search"), {"q": "Medvedev"}).content.decode()
    assert "Obama to Russia" in found


@pytest.fixture
def separate_site(tmp_path):
    """Environment of a blog of its own (a SQLite file) for real processes to share."""
    env = site_env(tmp_path / "site.sqlite3")
    manage(env, "migrate", "--noinput")
    manage(env, "loaddemo")
    manage(env, "rerender", "--stale")  # what the worker of `make run` does at once
    return env


def test_the_real_worker_process_finishes_a_fan_out(separate_site):
    rename = (
        "from quotes.models import Speaker;"
        "s = Speaker.objects.get(slug='dmitri-a-medvedev'); s.name = 'Dmitry Medvedev'; s.save()"
    )
    manage(separate_site, "shell", "-c", rename)
    count = "from blog.models import Post; print(Post.objects.filter(rendered_with=0).count())"
    assert int(manage(separate_site, "shell", "-c", count).stdout.split()[-1]) > 0
    manage(separate_site, "db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert int(manage(separate_site, "shell", "-c", count).stdout.split()[-1]) == 0
    shown = (
        "from blog.models import Post;"
        "print(Post.objects.get(slug='obama-to-russia-help-us-and-well-help-you').article_html)"
    )
    assert "Dmitry Medvedev" in manage(separate_site, "shell", "-c", shown).stdout


def test_with_the_database_gone_cached_pages_answer_and_others_are_503(separate_site, tmp_path):
    port = free_port()
    database = Path(separate_site["DATABASE_URL"].removeprefix("sqlite:///"))
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=separate_site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        cached = base + "/2009/03/03/obama-to-russia-help-us-and-well-help-you/"
        first = fetch(cached)
        assert first[0] == 200, first[2][:3000]  # now in the page cache
        database.rename(tmp_path / "elsewhere.sqlite3")
        database.mkdir()  # where the file was: the database cannot be opened
        status, headers, body = fetch(cached)
        assert status == 200 and "Medvedev" in body
        status, headers, body = fetch(base + "/speakers/")
        assert status == 503 and headers["Retry-After"] and "Back in a moment" in body
    finally:
        server.terminate()
        server.wait(timeout=10)


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")
