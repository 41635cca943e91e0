import datetime
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from blog.models import Comment, Post, Update
from quotes.models import Quotation, Source, Speaker

counter = itertools.count(1)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty shared cache (pages, rate limits), as a new site would."""
    cache.clear()


@pytest.fixture
def uncached(settings):
    """Every request renders its page (tests that count a render's queries)."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what waits for the commit (page-cache purges) at its end,
    as the real commit of a request would; pytest-django's test transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def run_worker(db):
    """Run the background jobs waiting now, one by one, with db_worker's own Worker.run_task
    (db_worker's loop itself closes the connection, and with it the test's transaction;
    tests/test_freshness.py runs the real process)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip

    def run():
        ran = 0
        while (job := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
            job.claim(worker.worker_id)
            worker.run_task(job)
            ran += 1
        return ran

    return run


@pytest.fixture
def source(db):
    return Source.objects.create(
        title="Obama Offered Deal to Russia in Secret Letter",
        publisher="The New York Times",
        author="Peter Baker",
        url="https://www.nytimes.com/2009/03/03/washington/03prexy.html",
        published_on=datetime.date(2009, 3, 2),
    )


@pytest.fixture
def speaker(db):
    return Speaker.objects.create(name="Dmitri A. Medvedev", description="President of Russia")


@pytest.fixture
def make_quotation(db, source):
    def make(text="No one links these issues to any exchange.", **fields):
        fields.setdefault("source", source)
        # Public on its own unless a test says otherwise (tests/test_visibility.py does):
        # most tests show a quotation without publishing a post that cites it first.
        fields.setdefault("is_public", True)
        return Quotation.objects.create(text=text, **fields)

    return make


@pytest.fixture
def quotation(make_quotation, speaker):
    return make_quotation(speaker=speaker, context="at a news conference in Madrid")


@pytest.fixture
def author(db):
    return get_user_model().objects.create_user("writer", first_name="Pat", last_name="Writer")


@pytest.fixture
def make_post(db, author):
    def make(body="Some commentary.", **fields):
        fields.setdefault("title", f"Post number {next(counter)}")
        fields.setdefault("status", Post.Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
        updates = fields.pop("updates", [])
        post = Post.objects.create(author=author, body=body, **fields)
        for update in updates:
            Update.objects.create(post=post, **update)
        post.refresh_from_db()
        return post

    return make


@pytest.fixture
def editor(db):
    """Staff with the permissions an editor needs, and no more."""
    user = get_user_model().objects.create_user(
        "ed", password="correct horse battery", is_staff=True, first_name="Edie", last_name="Tor"
    )
    codenames = [
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("post", "update", "tag", "quotation", "speaker", "source")
    ]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def demo(db):
    call_command("loaddemo", verbosity=0)
    return Post.objects.get(slug="obama-to-russia-help-us-and-well-help-you")


@pytest.fixture
def make_comment(db):
    """A comment on `post`, pending unless told otherwise (saved as a moderator would)."""

    def make(post, text="A thoughtful remark.", **fields):
        fields.setdefault("name", "Reader")
        fields.setdefault("email", "reader@example.org")
        return Comment.objects.create(post=post, text=text, **fields)

    return make


@pytest.fixture
def source_server():
    """A real HTTP server on 127.0.0.1 serving what a test puts in its `routes`."""
    from .source_server import SourceServer

    server = SourceServer()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def no_pending_verifications():
    """Quotations saved by an earlier test (never committed) wait for no later one."""
    from integrity import receivers

    receivers.pending().clear()


class Migrator:
    """Steps the blog app's schema to one of its migrations (every other app as it is now)."""

    def __init__(self):
        self.executor = MigrationExecutor(connection)

    def blog_at(self, name):
        """Migrate blog to migration `name`, forwards or back; the models of that state."""
        self.executor.loader.build_graph()
        leaves = self.executor.loader.graph.leaf_nodes()
        target = [node for node in leaves if node[0] != "blog"] + [("blog", name)]
        self.executor.migrate(target)
        return self.executor.loader.project_state(target).apps

    def restore(self):
        self.executor.loader.build_graph()
        self.executor.migrate(self.executor.loader.graph.leaf_nodes())


@pytest.fixture
def migrator(transactional_db):
    migrator = Migrator()
    yield migrator
    migrator.restore()  # whatever happened, the next test finds the schema whole
