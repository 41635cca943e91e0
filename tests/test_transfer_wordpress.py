"""Importing WordPress exports (WXR): our own sample, the WordPress theme unit test data and
the 64-block test data (tests/data/README.md). Expectations are counted from the XML."""

import collections

import defusedxml.ElementTree as ET
import pytest
from django.utils.text import slugify

from blog.models import Comment, Post, Tag
from quotes.models import Quotation
from transfer.models import ImportedItem

from .transfer_helpers import DATA, run_import

SAMPLE = DATA / "wordpress-sample.wxr"
# The WordPress theme unit test data and 64-block test data (tests/data/README.md).
CORPUS_FILES = ["wordpress-themeunittestdata.wordpress.xml", "wordpress-64-block-test-data.xml"]
TERM_DOMAINS = {"category", "post_tag"}
STATUS = {"1": "approved", "0": "pending", "spam": "spam", "trash": "rejected"}

pytestmark = pytest.mark.django_db


def field(element, name):
    return next((c.text or "" for c in element if c.tag.rpartition("}")[2] == name), "")


def imported_items(path):
    """The posts and pages an import keeps: not attachments, menus, revisions or the bin."""
    for item in ET.parse(path).getroot().iter("item"):
        kept = field(item, "status") not in {"trash", "auto-draft", "inherit"}
        if field(item, "post_type") in {"post", "page"} and kept:
            yield item


def comments(item):
    return [c for c in item if c.tag.endswith("}comment") and len(c)]


def expected(path):
    kinds, statuses, terms, protected, threads = (
        collections.Counter(),
        collections.Counter(),
        set(),
        [],
        [],
    )
    for item in imported_items(path):
        kinds[field(item, "post_type")] += 1
        names = (c.text for c in item.iter("category") if c.get("domain") in TERM_DOMAINS)
        terms |= {slugify(name.strip()) for name in names if name and name.strip()}
        if field(item, "post_password"):
            protected.append(field(item, "title"))
        key = f"wordpress:{field(item, 'post_id')}:{field(item, 'guid')}"
        for comment in comments(item):
            statuses[STATUS[field(comment, "comment_approved")]] += 1
            if field(comment, "comment_parent") not in {"", "0"}:
                threads.append((f"{key}#comment-{field(comment, 'comment_id')}",
                                f"{key}#comment-{field(comment, 'comment_parent')}"))  # fmt: skip
    return {"kinds": kinds, "statuses": statuses, "terms": terms, "protected": protected,
            "threads": threads}  # fmt: skip


def wxr_files():
    return [
        pytest.param(path, id=path.name) for path in [SAMPLE, *(DATA / n for n in CORPUS_FILES)]
    ]


@pytest.mark.parametrize("path", wxr_files())
def test_counts_match_the_export(path):
    want = expected(path)
    run_import(path)
    assert ImportedItem.objects.filter(kind="post").count() == want["kinds"]["post"]
    assert ImportedItem.objects.filter(kind="page").count() == want["kinds"]["page"]
    by_status = collections.Counter(Comment.objects.values_list("status", flat=True))
    assert by_status == +want["statuses"]
    assert set(Tag.objects.values_list("slug", flat=True)) == want["terms"]


@pytest.mark.parametrize("path", wxr_files())
def test_protected_posts_are_drafts_and_threads_keep_their_parent(path):
    want = expected(path)
    report = run_import(path)
    if path == SAMPLE:  # the sample has both; a corpus file may have neither
        assert want["protected"] and want["threads"]
    for title in want["protected"]:
        assert Post.objects.get(title=title).status == Post.Status.DRAFT
        assert f"“{title}” was password-protected: imported as a draft." in report
    ids = dict(ImportedItem.objects.filter(kind="comment").values_list("key", "object_id"))
    for reply, parent in want["threads"]:
        assert Comment.objects.get(pk=ids[reply]).in_reply_to_id == ids[parent]


@pytest.mark.parametrize("path", wxr_files())
def test_no_block_markup_reaches_a_public_page(path, client, uncached, run_worker):
    run_import(path)
    run_worker()
    pages = [post.get_absolute_url() for post in Post.objects.published()]
    assert pages
    for url in [*pages, "/", "/feed.atom", "/feed.rss"]:
        response = client.get(url)
        assert response.status_code == 200, url
        # (A post may show "&lt;!-- wp:code --&gt;" as text: the theme data's code block does.)
        assert b"<!-- wp:" not in response.content


def test_sample_bodies_keep_text_images_and_drop_scripts(client, run_worker):
    run_import(SAMPLE)
    run_worker()
    post = Post.objects.get(slug="medvedev-answers")
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<img src="https://politics.example.org/wp-content/uploads/2009/03/kremlin.jpg"' in page
    assert "<strong>closely</strong>" in page and "even 2*3 and snake_case." in page
    classic = client.get(Post.objects.get(slug="a-classic-post").get_absolute_url())
    text = classic.content.decode()
    assert "<p>First paragraph of a classic post, with a " in text
    assert "Second paragraph<br>with a line break, and text after a script." in text
    assert "alert(1)" not in text
    assert Post.objects.get(title="Private notes").status == Post.Status.DRAFT
    assert Post.objects.get(title="Half-written").status == Post.Status.DRAFT


def test_blockquote_with_cite_becomes_a_proposed_quotation_embedded_by_code(client, run_worker):
    run_import(SAMPLE)
    run_worker()
    cited = Quotation.objects.get(source__url__contains="03prexy.html")
    assert cited.needs_review and cited.text.startswith("No one links these issues")
    post = Post.objects.get(slug="medvedev-answers")
    assert f"\n[[quote:{cited.pk}]]\n" in post.body
    assert "No one links" not in post.body  # the words live in the quotation only
    named = Quotation.objects.get(speaker__name="Dmitri A. Medvedev")
    assert named.source.publisher == "NYT" and named.text == "We are ready to discuss it."
    assert f"[[quote:{named.pk}]]" in post.body and "<p>NYT:</p>" not in post.body
    page = client.get(post.get_absolute_url()).content.decode()
    assert "No one links these issues to any exchange" in page
    assert "Dmitri A. Medvedev" in page


def test_review_filter_in_the_admin(admin_client):
    run_import(SAMPLE)
    response = admin_client.get("/admin/quotes/quotation/?needs_review__exact=1")
    assert response.status_code == 200
    assert "imported, needs review" in response.content.decode()
    assert (
        response.context["cl"].result_count
        == Quotation.objects.filter(needs_review=True).count()
        == 2
    )


def test_a_later_export_adds_only_its_new_comments(tmp_path, client, uncached, run_worker):
    run_import(SAMPLE)
    run_worker()
    post = Post.objects.get(slug="medvedev-answers")
    assert not post.is_stale
    new = (
        "<wp:comment><wp:comment_id>99</wp:comment_id><wp:comment_author>Carol</wp:comment_author>"
        "<wp:comment_content>A later comment.</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>11</wp:comment_parent>"
        "</wp:comment>"
    )
    later = tmp_path / "later.xml"
    later.write_text(
        SAMPLE.read_text().replace(
            "<wp:post_id>101</wp:post_id>", "<wp:post_id>101</wp:post_id>" + new
        )
    )
    report = run_import(later)
    assert "comments (approved): 1" in report and "posts:" not in report
    added = Comment.objects.get(name="Carol")
    assert added.in_reply_to.name == "Alice Reader"
    run_worker()
    assert "A later comment." in client.get(post.get_absolute_url()).content.decode()
