"""Importing a genuine Blogger export: what it holds, counted here from the XML itself."""

import collections
import datetime
from urllib.parse import urlsplit

import defusedxml.ElementTree as ET
import pytest

from blog.models import Comment, Post, Tag
from transfer.models import ImportedItem

from .transfer_helpers import ATOM, DATA, run_import, snapshot

BLOGGER = DATA / "blogger-data-test.xml"
KIND = "http://schemas.google.com/g/2005#kind"
LABEL = "http://www.blogger.com/atom/ns#"
DRAFT = "{http://purl.org/atom/app#}control/{http://purl.org/atom/app#}draft"

pytestmark = pytest.mark.django_db


def entries():
    """(kind, entry) of every entry of the export."""
    for entry in ET.parse(BLOGGER).getroot().iter(f"{ATOM}entry"):
        kind = next(c.get("term") for c in entry.iter(f"{ATOM}category") if c.get("scheme") == KIND)
        yield kind.rpartition("#")[2], entry


def link(entry, rel):
    return next((e.get("href") for e in entry.iter(f"{ATOM}link") if e.get("rel") == rel), None)


@pytest.fixture(scope="module")
def expected():
    kinds, drafts, labels, replies = collections.Counter(), 0, set(), 0
    first_public = None
    for kind, entry in entries():
        kinds[kind] += 1
        if kind in {"post", "page"}:
            draft = entry.findtext(DRAFT) == "yes"
            drafts += draft
            labels |= {c.get("term") for c in entry.iter(f"{ATOM}category")
                       if c.get("scheme") == LABEL}  # fmt: skip
            if kind == "post" and not draft and first_public is None:
                first_public = entry
        replies += kind == "comment" and link(entry, "related") is not None
    return {"kinds": kinds, "drafts": drafts, "labels": labels, "replies": replies,
            "first_public": first_public}  # fmt: skip


def test_counts_match_the_export(expected):
    report = run_import(BLOGGER)
    kinds = expected["kinds"]
    assert ImportedItem.objects.filter(kind="post").count() == kinds["post"]
    assert ImportedItem.objects.filter(kind="page").count() == kinds["page"]
    assert Post.objects.count() == kinds["post"] + kinds["page"]
    assert Post.objects.filter(status=Post.Status.DRAFT).count() == expected["drafts"] > 0
    assert set(Tag.objects.values_list("name", flat=True)) == expected["labels"]
    assert Comment.objects.count() == kinds["comment"]
    assert Comment.objects.filter(status=Comment.Status.APPROVED).count() == kinds["comment"]
    assert Comment.objects.filter(in_reply_to__isnull=False).count() == expected["replies"] > 0
    assert f"posts: {kinds['post']}" in report and f"pages: {kinds['page']}" in report


def test_times_keep_their_zone_and_authors_come_along(expected):
    run_import(BLOGGER)
    entry = expected["first_public"]
    published = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    assert published.utcoffset() != datetime.timedelta(0)  # the export's own zone
    post = Post.objects.get(title=entry.findtext(f"{ATOM}title"))
    assert post.published_at == published
    updated = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert post.modified_at == updated != published  # last edited there, not at the import
    assert post.author.get_full_name() == entry.findtext(f"{ATOM}author/{ATOM}name")


def test_second_import_changes_nothing():
    run_import(BLOGGER)
    before = snapshot()
    report = run_import(BLOGGER)
    assert snapshot() == before
    assert "already imported" in report and "posts:" not in report


def test_old_blogger_address_answers_301(client, expected):
    run_import(BLOGGER)
    entry = expected["first_public"]
    old = urlsplit(link(entry, "alternate")).path
    assert old.endswith(".html")
    response = client.get(old)
    post = Post.objects.get(title=entry.findtext(f"{ATOM}title"))
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()
    page = client.get(response["Location"])
    assert page.status_code == 200 and post.title in page.content.decode()


def test_dry_run_writes_nothing(expected):
    report = run_import(BLOGGER, "--dry-run")
    assert "Dry run: nothing was written" in report
    assert f"comments (approved): {expected['kinds']['comment']}" in report
    assert Post.objects.count() == Comment.objects.count() == ImportedItem.objects.count() == 0
