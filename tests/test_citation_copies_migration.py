"""Upgrading to blog 0015 fills each existing citation's copies of its quotation's speaker
and source and of its post's place in lists, so the "posts quoting" lists lose nothing."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("blog", "0014_comment_queue_first_index")]
AFTER = [("blog", "0015_citation_listed")]
WHEN = datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC)


@pytest.fixture
def executor(transactional_db):
    executor = MigrationExecutor(connection)
    yield executor
    executor.loader.build_graph()  # whatever happened, the next test finds the schema whole
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_upgrade_copies_speaker_source_and_listing_into_every_citation(executor):
    # Every other app as it is now: only blog steps back.
    before = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "blog"] + BEFORE
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("auth", "User").objects.create(username="writer")
    source = old.get_model("quotes", "Source").objects.create(title="A letter", slug="a-letter")
    speaker = old.get_model("quotes", "Speaker").objects.create(name="Medvedev", slug="medvedev")
    Quotation = old.get_model("quotes", "Quotation")
    said = Quotation.objects.create(text="Said.", speaker=speaker, source=source)
    unsigned = Quotation.objects.create(text="Unsigned.", source=source)
    Post = old.get_model("blog", "Post")
    published = Post.objects.create(
        title="Out", slug="out", author=user, status="published", published_at=WHEN
    )
    draft = Post.objects.create(title="Draft", slug="draft", author=user, status="draft")
    Citation = old.get_model("blog", "Citation")
    for post in (published, draft):
        for quotation in (said, unsigned):
            Citation.objects.create(post=post, quotation=quotation)

    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    rows = new.get_model("blog", "Citation").objects.order_by("post_id", "quotation_id")
    assert list(rows.values_list("post_id", "speaker_id", "source_id", "listed_at")) == [
        (published.pk, speaker.pk, source.pk, WHEN),
        (published.pk, None, source.pk, WHEN),
        (draft.pk, speaker.pk, source.pk, None),
        (draft.pk, None, source.pk, None),
    ]
