"""The speakers, sources and tags indexes, paged by a cursor (?before=/?after=): every public
entry reached once in the list's order, back again, and a deep page as cheap as the first
(no COUNT of every speaker, no sort of them all)."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog import quotation_pages, views
from blog.models import Tag
from quotes.models import Source, Speaker

from .paging import pages
from .plans import plan

# Names with the cursor's separator and its escape in them, and one name three speakers share.
NAMES = [
    "Zhou Enlai",
    "Ann_Smith",
    "100% Sure",
    "John Smith",
    "John Smith",
    "John Smith",
    "Mikhail Gorbachev",
    "Margaret Thatcher",
    "de Gaulle",
    "Barack Obama",
]


def listed(page_html, css_class="archive-list"):
    """The entries' link texts, in the order the page shows them."""
    items = re.search(rf'<ul class="{css_class}[^"]*">(.*?)</ul>', page_html, re.S).group(1)
    return [html.unescape(text) for text in re.findall(r"<li><a [^>]+>([^<]+)</a>", items)]


def every_page(client, url, rel="next"):
    return [listed(page) for _, page in pages(client, url, rel)]


@pytest.fixture
def speakers(db, make_quotation, source):
    """The public speakers in the database's order of names, after a hidden one."""
    hidden = Speaker.objects.create(name="Anonymous official")  # quoted by no public quotation
    make_quotation("Off the record.", speaker=hidden, is_public=False)
    for name in NAMES:
        make_quotation(f"Words of {name}.", speaker=Speaker.objects.create(name=name))
    return list(Speaker.objects.public().order_by("name", "pk"))


def test_the_speakers_index_reaches_every_public_speaker_once_and_comes_back(
    client, speakers, monkeypatch
):
    # One a page: every name is a cursor, "_" and "%" and the shared name included.
    monkeypatch.setattr(quotation_pages, "SPEAKERS_PER_PAGE", 1)
    forward = every_page(client, reverse("quotes:speakers"))
    assert len(forward) == len(NAMES)
    assert sum(forward, []) == [speaker.name for speaker in speakers]
    assert "Anonymous official" not in sum(forward, [])
    # From the last page back up to the first, the same pages the other way.
    last_url = pages(client, reverse("quotes:speakers"))[-1][0]
    backward = every_page(client, last_url, rel="prev")
    assert backward == forward[::-1]


def test_the_speakers_index_has_a_link_for_each_initial(client, speakers, monkeypatch):
    monkeypatch.setattr(quotation_pages, "SPEAKERS_PER_PAGE", 2)
    index = client.get(reverse("quotes:speakers")).content.decode()
    initial = re.search(r'<a href="(\?before=M[^"]*)">M</a>', index).group(1)
    page = client.get(reverse("quotes:speakers") + html.unescape(initial)).content.decode()
    names = [speaker.name for speaker in speakers]
    first_m = next(n for n, name in enumerate(names) if name >= "M")
    assert listed(page) == names[first_m : first_m + 2]
    assert "<title>Speakers, from Margaret Thatcher" in page
    assert 'class="pager-newer' in page and 'class="pager-older' in page


def test_a_cursor_past_the_last_speaker_offers_the_way_back(client, speakers):
    page = client.get(reverse("quotes:speakers"), {"before": "zzzz_0"}).content.decode()
    assert listed(page) == []
    assert 'No more speakers. <a href="/speakers/">Back to the first page</a>' in page


@pytest.mark.parametrize(
    "cursor", ["Barack Obama", "Barack Obama_x", "a_1_2", "_99999999999999999999"]
)
def test_a_malformed_speakers_cursor_is_not_found(client, speakers, cursor):
    assert client.get(reverse("quotes:speakers"), {"before": cursor}).status_code == 404


def test_the_sources_index_is_newest_first_with_undated_sources_last(
    client, make_quotation, monkeypatch
):
    monkeypatch.setattr(quotation_pages, "SOURCES_PER_PAGE", 2)
    day = datetime.date(2009, 3, 2)
    made = [
        ("Press conference_transcript", day),
        ("Letter to Medvedev", day),  # the same day: by title
        ("Letter to Medvedev", day),  # the same title too: by id
        ("State of the Union", day - datetime.timedelta(days=400)),
        ("Inaugural address", day + datetime.timedelta(days=1)),
        ("Undated memo", None),
        ("Another undated memo", None),
    ]
    for title, published_on in made:
        make_quotation(
            "Said.", source=Source.objects.create(title=title, published_on=published_on)
        )
    Source.objects.create(title="Never quoted", published_on=day)
    forward = sum(every_page(client, reverse("quotes:sources")), [])
    assert forward == [
        "Inaugural address",
        "Letter to Medvedev",
        "Letter to Medvedev",
        "Press conference_transcript",
        "State of the Union",
        "Another undated memo",
        "Undated memo",
    ]


def test_the_tag_index_is_paged_by_name_and_reaches_the_last_tag(client, make_post, monkeypatch):
    monkeypatch.setattr(views, "TAGS_PER_PAGE", 2)  # a page ends at "Under_score"
    post = make_post()
    for name in ["Delta", "Alpha", "Echo", "Charlie", "Bravo", "Under_score", "Zulu"]:
        post.tags.create(name=name)
    Tag.objects.create(name="Aardvark")  # no posts: not listed
    forward = every_page(client, reverse("blog:tags"))
    assert forward == [["Alpha", "Bravo"], ["Charlie", "Delta"], ["Echo", "Under_score"], ["Zulu"]]
    last_url = pages(client, reverse("blog:tags"))[-1][0]
    assert every_page(client, last_url, rel="prev") == forward[::-1]
    assert client.get(reverse("blog:tags"), {"before": "Alpha_1"}).status_code == 404


def page_queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return captured


@pytest.mark.parametrize("url_name", ["quotes:speakers", "quotes:sources"])
def test_an_index_page_costs_one_query_read_in_its_index_order(
    client, make_quotation, speaker, uncached, url_name, monkeypatch
):
    monkeypatch.setattr(quotation_pages, "SPEAKERS_PER_PAGE", 2)
    monkeypatch.setattr(quotation_pages, "SOURCES_PER_PAGE", 2)
    for n in range(6):
        made = Speaker.objects.create(name=f"Speaker {n}")
        said_in = Source.objects.create(
            title=f"Source {n}", published_on=datetime.date(2009, 1, n + 1)
        )
        make_quotation("Said.", speaker=made, source=said_in)
    first = page_queries(client, reverse(url_name))
    deep_url = pages(client, reverse(url_name))[-1][0]
    deep = page_queries(client, deep_url)
    assert len(first) == len(deep) == 1  # no COUNT: the page alone
    assert "COUNT(" not in first[0]["sql"].upper()
    found = plan(deep[0]["sql"])
    index = "speaker_name" if url_name == "quotes:speakers" else "source_listed"
    assert index in found, found
    assert "Sort" not in found and "TEMP B-TREE FOR ORDER BY" not in found, found


def test_index_lines_escape_what_editors_typed(client, make_quotation):
    speaker = Speaker.objects.create(name="<b>Bold</b> & Co", description='Says "<i>hi</i>"')
    source = Source.objects.create(
        title="<script>alert(1)</script>", publisher="A & B", published_on=datetime.date(2009, 3, 2)
    )
    make_quotation("Said.", speaker=speaker, source=source)
    speakers = client.get(reverse("quotes:speakers")).content.decode()
    assert (
        f'<li><a href="{speaker.get_absolute_url()}">&lt;b&gt;Bold&lt;/b&gt; &amp; Co</a>, '
        "Says &quot;&lt;i&gt;hi&lt;/i&gt;&quot;</li>" in speakers
    )
    sources = client.get(reverse("quotes:sources")).content.decode()
    assert (
        f'<li><a href="{source.get_absolute_url()}">&lt;script&gt;alert(1)&lt;/script&gt;</a>, '
        'A &amp; B <time datetime="2009-03-02">March 2, 2009</time></li>' in sources
    )
    assert "<script>alert" not in sources and "<b>Bold" not in speakers
