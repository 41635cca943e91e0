"""'Posts quoting this' on quotation, speaker and source pages: paged by date, none dropped."""

import datetime
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog import quotation_pages as views
from blog.models import Citation, Post
from quotes.merge import merge
from quotes.models import Speaker
from tests.plans import plan

START = timezone.now() - datetime.timedelta(days=30)


@pytest.fixture
def citing(make_post, quotation):
    """Eight public posts citing the quotation (two published at the same instant), a draft."""
    posts = [
        make_post(
            f"[[q:{quotation.pk}]]",
            title=f"Citing {n}",
            published_at=START + datetime.timedelta(days=n),
        )
        for n in range(7)
    ]
    posts.insert(
        3, make_post(f"[[q:{quotation.pk}]]", title="Citing 2b", published_at=posts[2].published_at)
    )
    make_post(f"[[q:{quotation.pk}]]", title="Draft citing", status=Post.Status.DRAFT)
    return posts


def titles(page):
    return re.findall(r'<li><a href="/\d{4}/[^"]+">(Citing [^<]+)</a>', page)


def follow(client, path, url, css):
    """The pages reached from `url` (on `path`) through the links of class `css`, in order."""
    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        seen.append(page)
        found = re.search(rf'class="pager-\w+ {css}" href="([^"#]+)', page)
        url = found and html.unescape(found.group(1))
        if url and url.startswith("?"):
            url = path + url
        assert len(seen) < 20
    return seen


@pytest.mark.parametrize("page", ["quotation", "speaker", "source"])
def test_the_pager_reaches_the_oldest_citing_post_and_back(
    client, citing, quotation, monkeypatch, page
):
    monkeypatch.setattr(views, "CITING_POSTS_PER_PAGE", 3)
    path = {"quotation": quotation, "speaker": quotation.speaker, "source": quotation.source}[
        page
    ].get_absolute_url()
    older = follow(client, path, path, "citing-older")
    listed = [title for page in older for title in titles(page)]
    newest_first = sorted(citing, key=lambda p: (p.published_at, p.pk), reverse=True)
    assert listed == [post.title for post in newest_first]  # each once, the oldest last
    assert len(older) == 3 and "Draft citing" not in "".join(older)
    # And back: newer pages from the oldest lead to the newest.
    last = re.search(r'class="pager-newer citing-newer" href="([^"#]+)', older[-1]).group(1)
    back = follow(client, path, path + html.unescape(last), "citing-newer")
    assert [titles(page) for page in back] == [listed[3:6], listed[:3]]


def test_paging_citing_posts_keeps_the_quotations_page_and_back(
    client, citing, quotation, make_quotation, monkeypatch
):
    monkeypatch.setattr(views, "CITING_POSTS_PER_PAGE", 3)
    monkeypatch.setattr(views, "QUOTATIONS_PER_PAGE", 1)
    make_quotation("Said earlier", speaker=quotation.speaker, said_on=datetime.date(2001, 1, 1))
    path = quotation.speaker.get_absolute_url()
    first = client.get(path).content.decode()
    quotes = html.unescape(re.search(r'href="([^"#]+)" class="pager-older quotes-older"', first)[1])
    assert quotes.startswith("?qbefore=")
    page = client.get(path + quotes).content.decode()
    # The fixture's quotation has no date: it comes after the dated one.
    assert "Said earlier" in first and "Said earlier" not in page
    assert "news conference in Madrid" in page
    link = re.search(r'class="pager-older citing-older" href="([^"#]+)', page).group(1)
    older = html.unescape(link)
    assert older.startswith(quotes + "&before=")
    # The quotations' pager keeps the citing posts' place in turn.
    again = client.get(path + older).content.decode()
    newer = re.search(r'href="([^"#]+)" class="pager-newer quotes-newer"', again)[1]
    assert html.unescape(newer).startswith("?before=")


@pytest.mark.parametrize(
    "cursor", ["x", "20250101T000000.000000Z", "2025_1", "20250101T000000.000000Z_x"]
)
def test_a_malformed_cursor_is_a_404(client, quotation, cursor):
    assert client.get(quotation.get_absolute_url(), {"before": cursor}).status_code == 404


def test_a_cursor_past_the_end_offers_the_way_back(client, citing, quotation):
    response = client.get(quotation.get_absolute_url(), {"before": "19990101T000000.000000Z_1"})
    assert response.status_code == 200
    assert "back to the latest" in response.content.decode()


def test_the_speaker_pages_queries_do_not_grow_with_citing_posts(
    client, make_post, quotation, monkeypatch, uncached
):
    monkeypatch.setattr(views, "CITING_POSTS_PER_PAGE", 3)
    url = quotation.speaker.get_absolute_url()

    def count(query=""):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url + query).status_code == 200
        return len(captured)

    for n in range(4):
        make_post(f"[[q:{quotation.pk}]]", published_at=START + datetime.timedelta(hours=n))
    few, deep = count(), count("?before=29990101T000000.000000Z_1")
    for n in range(8):
        make_post(f"[[q:{quotation.pk}]]", published_at=START - datetime.timedelta(hours=n + 1))
    assert count() == few and count("?before=29990101T000000.000000Z_1") == deep == few


def listed_titles(client, path):
    """Every title the "posts quoting" pager of `path` lists, from the first page to the last."""
    return [title for page in follow(client, path, path, "citing-older") for title in titles(page)]


def test_a_post_quoting_a_speaker_three_times_is_listed_once_on_every_page(
    client, make_post, make_quotation, speaker, monkeypatch, uncached
):
    monkeypatch.setattr(views, "CITING_POSTS_PER_PAGE", 2)
    quotations = [make_quotation(f"Words number {n}.", speaker=speaker) for n in range(3)]
    codes = " ".join(f"[[q:{q.pk}]]" for q in quotations)
    for n in range(5):
        make_post(codes, title=f"Citing {n}", published_at=START + datetime.timedelta(days=n))
    path = speaker.get_absolute_url()
    assert listed_titles(client, path) == [f"Citing {n}" for n in reversed(range(5))]


def test_unpublished_and_scheduled_posts_leave_the_lists_until_they_appear(
    client, make_post, quotation, uncached
):
    path = quotation.speaker.get_absolute_url()
    post = make_post(f"[[q:{quotation.pk}]]", title="Citing 1", published_at=START)
    assert listed_titles(client, path) == ["Citing 1"]
    post.status = Post.Status.DRAFT
    post.save()
    assert listed_titles(client, path) == []
    post.status, post.published_at = (
        Post.Status.PUBLISHED,
        timezone.now() + datetime.timedelta(days=1),
    )
    post.save()
    assert Citation.objects.get(post=post).listed_at == post.published_at
    assert listed_titles(client, path) == []
    with time_machine.travel(post.published_at + datetime.timedelta(minutes=1)):
        assert listed_titles(client, path) == ["Citing 1"]


def test_a_quotation_given_to_another_speaker_takes_its_posts_along(
    client, make_post, make_quotation, quotation, committed, run_worker, uncached
):
    old, new = quotation.speaker, Speaker.objects.create(name="Sergei Lavrov")
    make_quotation("Still said by the first.", speaker=old)  # their page stays
    make_post(f"[[q:{quotation.pk}]]", title="Citing 1", published_at=START)
    with committed():
        quotation.speaker = new
        quotation.save()
    run_worker()
    assert listed_titles(client, new.get_absolute_url()) == ["Citing 1"]
    assert listed_titles(client, old.get_absolute_url()) == []
    assert Citation.objects.get(quotation=quotation).speaker == new


def test_a_merged_speakers_posts_are_listed_under_the_kept_one(
    client, make_post, make_quotation, speaker, committed, run_worker, uncached
):
    other = Speaker.objects.create(name="D. Medvedev")
    quotation = make_quotation(speaker=other)
    make_post(f"[[q:{quotation.pk}]]", title="Citing 1", published_at=START)
    with committed():
        merge(speaker, other)
    run_worker()
    assert listed_titles(client, speaker.get_absolute_url()) == ["Citing 1"]


@pytest.mark.parametrize("kind", ["quotation", "speaker", "source"])
def test_posts_quoting_are_read_from_their_citations_index_without_sorting(
    client, citing, quotation, kind
):
    """The list is a range of Citation's (kind, listed_at, post) index: the newest citations
    of a speaker quoted in thousands of posts are read, not every newer post probed."""
    record = quotation if kind == "quotation" else getattr(quotation, kind)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(record.get_absolute_url()).status_code == 200
    listing = next(
        q["sql"] for q in captured if q["sql"].startswith('SELECT DISTINCT "blog_citation"')
    )
    found = plan(listing)
    assert f"citation_{kind}_newest" in found, found
    assert "Sort" not in found and "TEMP B-TREE FOR ORDER BY" not in found, found
