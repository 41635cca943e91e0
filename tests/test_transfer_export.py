"""exportblog: the whole blog out, and back in into an empty database, page for page."""

import io
import json

import defusedxml.ElementTree as ET
import pytest
from django.core.management import call_command

from blog.models import Comment, Post, Update
from quotes.models import Quotation
from redirects import record

from .transfer_helpers import DATA, empty_database, nothing_written, page_text, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def blog(demo, make_comment):
    """The demo blog (quotations, excerpts, speakers, sources, updates) plus an imported
    WordPress sample (threaded and moderated comments, tags, drafts) and a redirect."""
    run_import(DATA / "wordpress-sample.wxr")
    make_comment(demo, text="Approved on the demo post.", status=Comment.Status.APPROVED)
    record("/old/address.html", demo.get_absolute_url(), "test")
    assert Update.objects.exists() and Quotation.objects.filter(within__isnull=False).exists()
    return demo


def export(*args):
    out = io.StringIO()
    call_command("exportblog", *args, stdout=out)
    return out.getvalue()


def public_pages(client):
    return {
        post.get_absolute_url(): page_text(client.get(post.get_absolute_url()).content)
        for post in Post.objects.published()
    }


def test_export_then_import_into_an_empty_database_gives_the_same_pages(
    blog, client, uncached, run_worker, tmp_path
):
    run_worker()
    before = public_pages(client)
    assert len(before) > 5 and "No one links these issues" in "".join(before.values())
    path = tmp_path / "blog.jsonl"
    path.write_text(export("--format", "json"))
    empty_database()
    nothing_written()
    report = run_import(path)
    assert "posts:" in report and "quotations:" in report
    run_worker()
    assert public_pages(client) == before
    assert client.get("/old/address.html").status_code == 301
    again = run_import(path)
    assert "Imported:\n  already imported:" in again and "posts:" not in again


def test_json_export_is_one_record_a_line_of_every_kind(blog):
    lines = export().splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0] == {"type": "header", "format": "quotes-blog-export", "version": 1}
    kinds = {r["type"] for r in records}
    assert kinds == {"header", "author", "tag", "speaker", "source", "quotation", "snapshot",
                     "post", "comment", "redirect"}  # fmt: skip
    posts = [r for r in records if r["type"] == "post"]
    assert len(posts) == Post.objects.count()
    assert sum(len(p["updates"]) for p in posts) == Update.objects.count()
    replies = [r for r in records if r["type"] == "comment" and r["in_reply_to_id"]]
    assert len(replies) == Comment.objects.filter(in_reply_to__isnull=False).count() > 0


def test_wxr_export_is_a_wxr_file_the_importer_reads(blog, tmp_path, client, run_worker):
    run_worker()
    text = export("--format", "wxr")
    items = ET.fromstring(text.encode()).iter("item")
    assert sum(1 for _ in items) == Post.objects.count()
    path = tmp_path / "blog.xml"
    path.write_text(text)
    empty_database()
    report = run_import(path, "--dry-run")
    assert f"posts: {Post.objects.count()}" not in report  # nothing was written...
    assert "posts:" in report and "Dry run" in report  # ...but everything was read
