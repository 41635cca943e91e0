"""The quotation, speaker and source pages describe themselves: schema.org JSON-LD
(a Quotation, a Person, a CreativeWork) and OpenGraph tags for link previews."""

import datetime
import html
import json
import re

import pytest

from blog import structured_data
from quotes.models import Source, Speaker

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
BASE = "http://testserver"


def page_of(client, url, django_assert_max_num_queries, queries=6):
    """(JSON-LD, {OpenGraph property: content}, html) of the page at `url`."""
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    [script] = JSON_LD.findall(page)
    og = {
        name: html.unescape(content)
        for name, content in re.findall(r'<meta property="og:(\w+)" content="([^"]*)">', page)
    }
    return json.loads(script), og, page


def persons(data):
    """Every Person anywhere in `data`."""
    if isinstance(data, list):
        return [person for item in data for person in persons(item)]
    if not isinstance(data, dict):
        return []
    found = [data] if data.get("@type") == "Person" else []
    return found + [person for value in data.values() for person in persons(value)]


@pytest.fixture
def odd_speaker(db):
    return Speaker.objects.create(name="Tom & Jerry <Ltd>", description="A </script> company")


def test_the_quotation_page_is_a_quotation_with_speaker_source_context_and_date(
    client, quotation, django_assert_max_num_queries
):
    data, og, _ = page_of(client, quotation.get_absolute_url(), django_assert_max_num_queries)
    url = BASE + quotation.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert (data["@type"], data["@id"], data["url"], data["mainEntityOfPage"]) == (
        "Quotation",
        url,
        url,
        url,
    )
    assert data["text"] == quotation.text
    speaker = quotation.speaker
    assert data["spokenByCharacter"] == data["creator"]
    assert data["creator"] == {
        "@type": "Person",
        "@id": BASE + speaker.get_absolute_url(),
        "name": speaker.name,
        "url": BASE + speaker.get_absolute_url(),
        "description": speaker.description,
    }
    assert data["description"] == quotation.context
    assert data["dateCreated"] == quotation.source.published_on.isoformat()
    source = data["isBasedOn"]
    assert source["@type"] == "NewsArticle"
    assert source["@id"] == BASE + quotation.source.get_absolute_url()
    assert source["name"] == quotation.source.title
    assert source["url"] == quotation.source.url
    assert source["publisher"] == {"@type": "Organization", "name": quotation.source.publisher}
    assert data["isPartOf"] == {"@id": source["@id"]}
    assert "archivedAt" not in source and "citation" not in data
    assert og == {
        "type": "article",
        "site_name": "On the Record",
        "title": f"“{quotation.text}” — {speaker.name}",
        "description": f"{speaker.name}: “{quotation.text}”",
        "url": url,
    }


def test_an_anonymous_speaker_is_described_without_a_nameless_person(
    client, make_quotation, django_assert_max_num_queries
):
    quotation = make_quotation(
        "We would like to see progress.",
        anonymous_description="a senior administration official",
        anonymity_reason="not authorized to speak publicly",
        context="briefing reporters",
        said_on=datetime.date(2009, 3, 3),
    )
    data, og, _ = page_of(client, quotation.get_absolute_url(), django_assert_max_num_queries)
    assert "creator" not in data and "spokenByCharacter" not in data
    assert all(person.get("name") for person in persons(data))
    assert [person["name"] for person in persons(data)] == ["Peter Baker"]  # the source's author
    assert data["creditText"] == "a senior administration official"
    assert data["description"] == (
        "Said by a senior administration official, who is not named: not authorized to "
        "speak publicly. briefing reporters"
    )
    assert data["dateCreated"] == "2009-03-03"
    assert og["title"] == "“We would like to see progress.” — a senior administration official"


def test_the_hooks_add_our_archived_copy_and_the_verification(quotation, rf):
    checked = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
    head = structured_data.quotation_page(
        quotation,
        BASE,
        archived_at=BASE + "/sources/snapshot/1/",
        verification={"checked_at": checked, "url": quotation.source.url + "#:~:text=No%20one"},
    )
    body = str(head["structured_data"])
    data = json.loads(JSON_LD.fullmatch(body).group(1))
    assert data["isBasedOn"]["archivedAt"] == BASE + "/sources/snapshot/1/"
    assert data["citation"]["@type"] == "WebPage"
    assert data["citation"]["url"].endswith("#:~:text=No%20one")
    assert datetime.datetime.fromisoformat(data["citation"]["lastReviewed"]) == checked


def test_both_archived_copies_are_listed(source):
    source.archived_url = "https://web.archive.org/web/2009/nytimes.com/x"
    item = structured_data.source_item(source, BASE, archived_at=BASE + "/snapshots/7/")
    assert item["archivedAt"] == [BASE + "/snapshots/7/", source.archived_url]


def test_a_speaker_name_with_markup_characters_is_escaped_exactly_once(
    client, make_quotation, odd_speaker, django_assert_max_num_queries
):
    quotation = make_quotation(speaker=odd_speaker)
    for url in (quotation.get_absolute_url(), odd_speaker.get_absolute_url()):
        data, og, page = page_of(client, url, django_assert_max_num_queries)
        [script] = JSON_LD.findall(page)
        assert "<" not in script and "&" not in script  # nothing can close the element
        assert "&amp;" not in json.dumps(data)  # not escaped twice
        person = data.get("creator", data)
        assert person["name"] == "Tom & Jerry <Ltd>"
        assert person["description"] == "A </script> company"
        assert "Tom &amp; Jerry &lt;Ltd&gt;" in page  # OpenGraph, escaped by the template
        assert "Tom & Jerry <Ltd>" in og["title"]


def test_the_speaker_page_is_a_person(client, quotation, django_assert_max_num_queries):
    speaker = quotation.speaker
    Speaker.objects.filter(pk=speaker.pk).update(url="http://en.kremlin.ru/")  # no re-render
    data, og, _ = page_of(client, speaker.get_absolute_url(), django_assert_max_num_queries)
    url = BASE + speaker.get_absolute_url()
    assert data == {
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": url,
        "name": "Dmitri A. Medvedev",
        "url": url,
        "description": "President of Russia",
        "sameAs": "http://en.kremlin.ru/",
        "mainEntityOfPage": url,
    }
    assert og == {
        "type": "profile",
        "site_name": "On the Record",
        "title": "Dmitri A. Medvedev",
        "description": (
            "Quotations of Dmitri A. Medvedev, President of Russia, each with its source."
        ),
        "url": url,
    }


def test_an_organization_speaker_can_be_said_to_be_one(speaker):
    head = structured_data.speaker_page(speaker, BASE, organization=True)
    assert '"@type": "Organization"' in str(head["structured_data"])


def test_the_source_page_is_a_news_article_with_its_publisher(
    client, quotation, django_assert_max_num_queries
):
    source = quotation.source
    data, og, _ = page_of(client, source.get_absolute_url(), django_assert_max_num_queries)
    url = BASE + source.get_absolute_url()
    assert data["@type"] == "NewsArticle"
    assert (data["@id"], data["mainEntityOfPage"], data["url"]) == (url, url, source.url)
    assert data["name"] == source.title
    assert data["publisher"] == {"@type": "Organization", "name": "The New York Times"}
    assert data["author"] == {"@type": "Person", "name": "Peter Baker"}
    assert data["datePublished"] == "2009-03-02"
    assert og == {
        "type": "article",
        "site_name": "On the Record",
        "title": source.title,
        "description": f"Quotations taken from “{source.title}”, The New York Times.",
        "url": url,
    }


@pytest.mark.parametrize(
    ("kind", "publisher", "schema_type", "og_type"),
    [
        (Source.Kind.ARTICLE, "", "Article", "article"),
        (Source.Kind.SPEECH, "", "CreativeWork", "website"),
        (Source.Kind.BOOK, "Knopf", "Book", "book"),
    ],
)
def test_other_sources_are_creative_works(
    client, make_quotation, kind, publisher, schema_type, og_type, django_assert_max_num_queries
):
    source = Source.objects.create(title="Remarks & replies", kind=kind, publisher=publisher)
    make_quotation(source=source)
    data, og, _ = page_of(client, source.get_absolute_url(), django_assert_max_num_queries)
    assert (data["@type"], og["type"]) == (schema_type, og_type)
    assert data["url"] == data["@id"] == BASE + source.get_absolute_url()
    assert og["title"] == "Remarks & replies"
