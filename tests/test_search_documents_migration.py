"""Upgrading to blog 0020 moves each post's search document into blog.SearchDocument, with
copies of its status and date, so search finds after the upgrade what it found before."""

import datetime

import pytest
from django.db import connection

BEFORE = "0019_post_pages_lz4"
AFTER = "0020_post_search_documents_own_table"
WHEN = datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="documents are PostgreSQL's (SQLite: FTS5)"
)


def documents(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_the_upgrade_moves_every_document_and_the_downgrade_puts_them_back(migrator):
    old = migrator.blog_at(BEFORE)
    user = old.get_model("auth", "User").objects.create(username="writer")
    Post = old.get_model("blog", "Post")
    published = Post.objects.create(
        title="Sanctions", slug="sanctions", author=user, status="published", published_at=WHEN
    )
    draft = Post.objects.create(
        title="Draft", slug="draft", author=user, status="draft", published_at=WHEN
    )
    Post.objects.create(title="Never rendered", slug="new", author=user, published_at=WHEN)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE blog_post SET search_document = to_tsvector('english', title)"
            " WHERE id IN (%s, %s)",
            [published.pk, draft.pk],
        )

    migrator.blog_at(AFTER)
    assert documents(
        "SELECT post_id, status, published_at, search_document::text FROM blog_post_search"
        " ORDER BY post_id"
    ) == [(published.pk, "published", WHEN, "'sanction':1"), (draft.pk, "draft", WHEN, "'draft':1")]
    assert documents(
        "SELECT count(*) FROM information_schema.columns"
        " WHERE table_name = 'blog_post' AND column_name = 'search_document'"
    ) == [(0,)]

    migrator.blog_at(BEFORE)
    assert documents(
        "SELECT id, search_document::text FROM blog_post WHERE search_document IS NOT NULL"
        " ORDER BY id"
    ) == [(published.pk, "'sanction':1"), (draft.pk, "'draft':1")]
