"""A speaker's and a source's quotations, paged by a cursor (?qbefore=/?qafter=): every public
quotation reached once, undated ones last, a deep page as cheap as the first."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog import quotation_pages as views
from quotes.models import Quotation, Source

PER_PAGE = 3


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "QUOTATIONS_PER_PAGE", PER_PAGE)


@pytest.fixture
def said(make_quotation, speaker):
    """The speaker's public quotations: dated (two on one day), undated, one hidden."""
    day = datetime.date(2009, 3, 3)
    dates = [day - datetime.timedelta(days=n) for n in (0, 1, 1, 5, 9, 30, 400)]
    quotations = [
        make_quotation(f"Dated {n}", speaker=speaker, said_on=d) for n, d in enumerate(dates)
    ]
    quotations += [make_quotation(f"Undated {n}", speaker=speaker) for n in range(3)]
    make_quotation("Never shown", speaker=speaker, is_public=False, said_on=day)
    make_quotation("Someone else", said_on=day)
    return quotations


def shown(page):
    return [int(pk) for pk in re.findall(r'<figure class="quotation" id="quote-(\d+)"', page)]


def follow(client, path, url, css):
    """Pages reached from `url` through the quotations' pager links of class `css`, and their
    addresses, in order."""
    pages, urls = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        pages.append(page)
        urls.append(url)
        found = re.search(rf'href="([^"#]+)" class="pager-\w+ {css}"', page)
        url = found and path + html.unescape(found.group(1)).removeprefix(path)
        assert len(pages) < 20
    return pages, urls


def newest_first(quotations):
    """A speaker's order: newest said first, ties by id, undated last."""
    return sorted(quotations, key=lambda q: (q.said_on or datetime.date.min, q.pk), reverse=True)


def test_older_links_reach_the_speakers_oldest_and_undated_quotations_and_back(
    client, speaker, said
):
    path = speaker.get_absolute_url()
    older, _ = follow(client, path, path, "quotes-older")
    listed = [pk for page in older for pk in shown(page)]
    assert listed == [q.pk for q in newest_first(said)]  # each once, undated at the end
    assert len(older) == -(-len(said) // PER_PAGE) > 2
    assert "Never shown" not in "".join(older) and "Someone else" not in "".join(older)
    # Newer links from the last page lead back to the first, page by page.
    back, urls = follow(client, path, path + newer_link(older[-1]), "quotes-newer")
    assert [shown(page) for page in back] == [shown(page) for page in reversed(older[:-1])]
    assert "Latest" in back[0] and "← Newer" not in back[-1]  # the first page again


def newer_link(page):
    return html.unescape(re.search(r'href="([^"#]+)" class="pager-newer quotes-newer"', page)[1])


def test_more_links_reach_the_sources_last_quotation_in_the_order_entered(
    client, make_quotation, speaker, source
):
    entered = [make_quotation(f"Words {n}", speaker=speaker if n % 2 else None) for n in range(8)]
    make_quotation("Elsewhere", source=Source.objects.create(title="Another source"))
    path = source.get_absolute_url()
    pages, _ = follow(client, path, path, "quotes-older")
    assert [pk for page in pages for pk in shown(page)] == [q.pk for q in entered]
    assert len(pages) > 2 and "Next →" in pages[0] and "Elsewhere" not in "".join(pages)
    back, _ = follow(client, path, path + newer_link(pages[-1]), "quotes-newer")
    assert shown(back[-1]) == [q.pk for q in entered[:PER_PAGE]]


@pytest.mark.parametrize("kind", ["speaker", "source"])
def test_a_deep_page_costs_what_the_first_does_and_counts_nothing(
    client, speaker, source, said, uncached, kind
):
    path = {"speaker": speaker, "source": source}[kind].get_absolute_url()
    _, urls = follow(client, path, path, "quotes-older")
    assert len(urls) > 2

    def sql(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [query["sql"] for query in captured]

    first, deep = sql(urls[0]), sql(urls[-1])
    assert len(deep) == len(first)
    assert not [query for query in first + deep if "COUNT(" in query.upper()]
    assert not [query for query in first + deep if "OFFSET" in query.upper()]


@pytest.mark.parametrize(
    "kind, cursor",
    [
        ("speaker", "x"),
        ("speaker", "2009-03-03"),
        ("speaker", "2009-13-03_1"),
        ("speaker", "2009-03-03_x"),
        ("speaker", "2009-03-03_1_2"),
        ("speaker", "2009-03-03_99999999999999999999"),
        ("source", "x"),
        ("source", "1_2"),
        ("source", "-1"),
        ("source", "99999999999999999999"),
    ],
)
@pytest.mark.parametrize("param", ["qbefore", "qafter"])
def test_a_malformed_cursor_is_a_404(client, quotation, kind, cursor, param):
    record = {"speaker": quotation.speaker, "source": quotation.source}[kind]
    assert client.get(record.get_absolute_url(), {param: cursor}).status_code == 404


def test_a_cursor_past_the_end_offers_the_way_back(client, speaker, said):
    response = client.get(speaker.get_absolute_url(), {"qbefore": "0001-01-01_1"})
    page = response.content.decode()
    assert response.status_code == 200 and shown(page) == []
    assert f'<a href="{speaker.get_absolute_url()}">back to the latest</a>' in page


def test_an_older_page_is_canonical_and_previewed_with_its_own_cursor(client, speaker, said):
    path = speaker.get_absolute_url()
    _, urls = follow(client, path, path, "quotes-older")
    query = urls[1].removeprefix(path)
    assert query.startswith("?qbefore=")
    page = client.get(urls[1]).content.decode()
    address = html.escape(f"http://testserver{path}{query}")
    assert f'<link rel="canonical" href="{address}">' in page
    assert f'<meta property="og:url" content="{address}">' in page
    first = client.get(path).content.decode()
    assert f'<link rel="canonical" href="http://testserver{path}">' in first


def test_each_page_of_quotations_is_cached_on_its_own(client, speaker, said):
    path = speaker.get_absolute_url()
    _, urls = follow(client, path, path, "quotes-older")
    assert client.get(urls[1])["X-Page-Cache"] == "hit"  # stored when followed above
    second = client.get(urls[1]).content.decode()
    assert shown(second) == shown(client.get(urls[1] + "&junk=1").content.decode())
    assert shown(second) != shown(client.get(path).content.decode())


def test_undated_quotations_come_last_on_every_database(speaker, said):
    """The order the page uses, straight from the database (PostgreSQL sorts NULLs first
    when told DESC, SQLite last): the key has no NULLs."""
    ordered = views.SPEAKER_ORDER.ordered(Quotation.objects.filter(speaker=speaker).public())
    assert list(ordered) == newest_first(said)
