"""Atom and RSS feeds: valid (feedparser finds no fault), full entries, updates bump `updated`."""

import datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import Post, Tag, Update

HOUR = datetime.timedelta(hours=1)


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.fixture
def posts(make_post, quotation):
    cited = make_post(
        f"Commentary.\n\n[[quote:{quotation.pk}]]\n\nMore [[q:{quotation.pk}]].",
        title="Cited",
        published_at=timezone.now() - 3 * HOUR,
        updates=[{"body": "A later update.", "timestamp": timezone.now() - 2 * HOUR}],
    )
    cited.tags.add(Tag.objects.create(name="Russia"))
    plain = make_post("Plain words.", title="Plain", published_at=timezone.now() - HOUR)
    make_post("Hidden.", title="Draft", status=Post.Status.DRAFT)
    return cited, plain


@pytest.mark.parametrize(
    ("name", "version", "content_type"),
    [
        ("blog:feed_atom", "atom10", "application/atom+xml"),
        ("blog:feed_rss", "rss20", "application/rss+xml"),
    ],
)
def test_the_posts_feeds_are_valid_and_list_published_posts_newest_first(
    client, posts, name, version, content_type
):
    response, feed = parse(client, reverse(name))
    assert response["Content-Type"].startswith(content_type)
    assert feed.version == version
    assert [entry.title for entry in feed.entries] == ["Plain", "Cited"]
    assert feed.entries[1].link == "http://testserver" + posts[0].get_absolute_url()


def entry_html(entry):
    return entry.content[0].value if "content" in entry else entry.summary


@pytest.mark.parametrize("name", ["blog:feed_atom", "blog:feed_rss"])
def test_an_entry_carries_the_full_post_with_quotations_and_updates(client, posts, name):
    _, feed = parse(client, reverse(name))
    html = entry_html(feed.entries[1])
    assert "Commentary." in html
    assert '<figure class="quotation"' in html and "No one links these issues" in html
    assert "Dmitri A. Medvedev" in html and "The New York Times" in html
    assert "A later update." in html and "Sources quoted" in html
    # Links in stored HTML are relative; in a feed they must be absolute.
    assert 'href="http://testserver/speakers/dmitri-a-medvedev/"' in html
    assert 'href="/' not in html


def test_the_atom_entry_has_a_summary_categories_and_author(client, posts):
    _, feed = parse(client, reverse("blog:feed_atom"))
    entry = feed.entries[1]
    assert entry.summary.startswith("Commentary.")
    assert [tag.term for tag in entry.tags] == ["Russia"]
    assert entry.author == "Pat Writer"


def test_an_update_bumps_the_entry_updated_time_and_the_feed_updated_time(client, posts, committed):
    cited, _ = posts
    _, before = parse(client, reverse("blog:feed_atom"))
    entry = before.entries[1]
    assert entry.updated_parsed > entry.published_parsed  # the fixture's earlier update
    later = timezone.now().replace(microsecond=0)
    with committed():
        Update.objects.create(
            post=cited, body="Breaking correction.", kind="correction", timestamp=later
        )
    _, after = parse(client, reverse("blog:feed_atom"))
    entry = next(e for e in after.entries if e.title == "Cited")
    assert entry.updated == later.isoformat()
    assert after.feed.updated == later.isoformat()
    assert "Breaking correction." in entry_html(entry)


def test_the_tag_feeds_list_that_tags_posts_only(client, posts):
    for name in ["blog:tag_feed_atom", "blog:tag_feed_rss"]:
        _, feed = parse(client, reverse(name, args=["russia"]))
        assert [entry.title for entry in feed.entries] == ["Cited"]
        assert "Russia" in feed.feed.title
    assert client.get(reverse("blog:tag_feed_atom", args=["nope"])).status_code == 404


def test_the_speaker_and_source_feeds_list_their_quotations(client, quotation, make_quotation):
    make_quotation("The source's own words.")
    speaker = quotation.speaker
    for name in ["quotes:speaker_feed_atom", "quotes:speaker_feed_rss"]:
        _, feed = parse(client, reverse(name, args=[speaker.slug]))
        assert len(feed.entries) == 1
        entry = feed.entries[0]
        assert entry.title.startswith("“No one links these issues") and "Medvedev" in entry.title
        assert entry.link == "http://testserver" + quotation.get_absolute_url()
        assert "at a news conference in Madrid" in entry_html(entry)
    for name in ["quotes:source_feed_atom", "quotes:source_feed_rss"]:
        _, feed = parse(client, reverse(name, args=[quotation.source.slug]))
        assert len(feed.entries) == 2
    assert client.get(reverse("quotes:speaker_feed_rss", args=["nobody"])).status_code == 404


def test_feed_queries_do_not_grow_with_entries(
    client, make_post, make_quotation, speaker, uncached
):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    tag = Tag.objects.create(name="Counted")
    make_post().tags.add(tag)
    make_quotation(speaker=speaker)
    urls = [
        reverse("blog:feed_atom"),
        reverse("blog:feed_rss"),
        tag.get_absolute_url() + "feed.atom",
        reverse("quotes:speaker_feed_atom", args=[speaker.slug]),
    ]
    few = [queries(url) for url in urls]
    for i in range(10):
        post = make_post(updates=[{"body": "u"}])
        post.tags.add(tag)
        post.tags.create(name=f"Other {i}")
        make_quotation(f"More {i}", speaker=speaker)
    assert [queries(url) for url in urls] == few
    assert max(few) <= 3


def test_feeds_never_load_a_posts_stored_page_or_comments(client, make_post, uncached):
    from tests.feed_reference import NOT_IN_FEEDS

    make_post("Body words.", updates=[{"body": "An update."}])
    for url in [reverse("blog:feed_atom"), reverse("blog:feed_rss")]:
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).content.decode()
        assert "Body words." in body and "An update." in body
        post_query = next(q["sql"] for q in captured if 'FROM "blog_post"' in q["sql"])
        selected = post_query.split(" FROM ")[0]
        assert not [name for name in NOT_IN_FEEDS if f'"blog_post"."{name}"' in selected]


def test_a_feed_holds_the_latest_ten_posts(client, make_post):
    for i in range(12):
        make_post(f"Words {i}.", title=f"Post {i}", published_at=timezone.now() - i * HOUR)
    for name in ["blog:feed_atom", "blog:feed_rss"]:
        _, feed = parse(client, reverse(name))
        assert [entry.title for entry in feed.entries] == [f"Post {i}" for i in range(10)]
