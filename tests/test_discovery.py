"""How readers' tools and search engines find the blog: sitemap, robots.txt, feed links,
canonical addresses, link previews (OpenGraph, Twitter) and JSON-LD structured data."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import Post, Tag, Update
from blog.templatetags.blog_tags import json_ld

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def sitemap_entries(client):
    """Every <url> of every section the index at /sitemap.xml links: {loc: lastmod}."""
    entries = {}
    for section in sitemap_sections(client):
        response = client.get(section)
        assert response.status_code == 200, section
        root = ET.fromstring(response.content)  # noqa: S314 - our own response
        for url in root.findall("sm:url", NS):
            entries[url.findtext("sm:loc", namespaces=NS)] = url.findtext(
                "sm:lastmod", namespaces=NS
            )
    return entries


def sitemap_sections(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    return [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)]


def test_the_sitemap_lists_public_posts_tags_speakers_sources_and_quotations(
    client, make_post, quotation
):
    post = make_post(f"[[quote:{quotation.pk}]]")
    post.tags.add(Tag.objects.create(name="Russia"))
    draft = make_post(status=Post.Status.DRAFT)
    draft.tags.add(Tag.objects.create(name="Secret"))
    entries = sitemap_entries(client)
    base = "http://testserver"
    for url in [
        post.get_absolute_url(),
        "/tags/russia/",
        quotation.speaker.get_absolute_url(),
        quotation.source.get_absolute_url(),
        quotation.get_absolute_url(),
        "/",
    ]:
        assert base + url in entries
    assert base + draft.get_absolute_url() not in entries
    assert base + "/tags/secret/" not in entries


def test_a_posts_lastmod_is_its_latest_update(client, make_post, uncached):
    published = timezone.now() - datetime.timedelta(days=3)
    post = make_post(published_at=published)
    assert sitemap_entries(client)["http://testserver" + post.get_absolute_url()] == (
        timezone.localdate(published).isoformat()
    )
    updated = timezone.now() - datetime.timedelta(days=1)
    Update.objects.create(post=post, body="Later.", timestamp=updated)
    assert sitemap_entries(client)["http://testserver" + post.get_absolute_url()] == (
        timezone.localdate(updated).isoformat()
    )


def test_the_sitemap_queries_do_not_grow(client, make_post, make_quotation, speaker, uncached):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            sitemap_entries(client)
        return len(captured)

    make_post().tags.create(name="One")
    make_quotation(speaker=speaker)
    few = queries()
    for i in range(10):
        make_post().tags.create(name=f"Tag {i}")
        make_quotation(f"Words {i}", speaker=speaker)
    # The index: a COUNT a section; each section: COUNT, page (posts: and its latest change).
    assert queries() == few <= 16


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text and "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_every_page_links_the_feeds_and_states_its_canonical_address(client, make_post):
    post = make_post()
    for url in ["/", reverse("blog:tags"), post.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert 'href="/feed.atom"' in html and 'href="/feed.rss"' in html
        assert html.count('rel="canonical"') == 1
        assert f'<link rel="canonical" href="http://testserver{url}">' in html


def test_speaker_source_and_tag_pages_link_their_own_feeds(client, quotation, make_post):
    make_post().tags.add(Tag.objects.create(name="Russia"))
    pages = {
        quotation.speaker.get_absolute_url(): "/speakers/dmitri-a-medvedev/feed.atom",
        quotation.source.get_absolute_url(): f"/sources/{quotation.source.slug}/feed.rss",
        "/tags/russia/": "/tags/russia/feed.atom",
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert f'rel="alternate" type="application/{feed.rsplit(".")[-1]}+xml"' in html
        assert f'href="{feed}"' in html


def test_a_paged_list_is_canonical_with_its_page_number(client, make_post):
    for _ in range(11):
        make_post()
    tags = client.get("/tags/", {"page": 1, "utm_source": "x"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/tags/">' in tags


def test_an_older_page_of_the_front_page_is_canonical_with_its_cursor(client, make_post):
    posts = [make_post() for _ in range(11)]
    first = client.get("/").content.decode()
    older = re.search(r'rel="next" href="\?before=([^"]+)"', first).group(1)
    html = client.get("/", {"before": older, "utm_source": "x"}).content.decode()
    assert f'<link rel="canonical" href="http://testserver/?before={older}">' in html
    assert posts[0].title in html and posts[-1].title not in html


def test_site_url_setting_makes_canonical_addresses(client, make_post, settings):
    settings.SITE_URL = "https://blog.example.org"
    post = make_post()
    html = client.get(post.get_absolute_url()).content.decode()
    assert (
        f'<link rel="canonical" href="https://blog.example.org{post.get_absolute_url()}">' in html
    )
    assert "https://blog.example.org/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_the_post_page_has_opengraph_and_twitter_card_tags(client, make_post):
    post = make_post("Words & more.", title="A <title>", excerpt="Short summary.")
    post.tags.add(Tag.objects.create(name="Russia"))
    html = client.get(post.get_absolute_url()).content.decode()
    url = "http://testserver" + post.get_absolute_url()
    for tag in [
        '<meta property="og:type" content="article">',
        '<meta property="og:title" content="A &lt;title&gt;">',
        '<meta property="og:description" content="Short summary.">',
        f'<meta property="og:url" content="{url}">',
        '<meta property="og:site_name" content="On the Record">',
        '<meta property="article:tag" content="Russia">',
        '<meta name="twitter:card" content="summary">',
        '<meta name="twitter:title" content="A &lt;title&gt;">',
    ]:
        assert tag in html
    assert '<meta property="article:published_time" content="' in html


def structured_data(client, post):
    html = client.get(post.get_absolute_url()).content.decode()
    scripts = JSON_LD.findall(html)
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.fixture
def quoted_post(make_post, make_quotation, quotation):
    anonymous = make_quotation(
        "We would like to see progress.", anonymous_description="a senior official"
    )
    own = make_quotation("The letter went unanswered.")
    published = timezone.now() - datetime.timedelta(days=2)
    return make_post(
        f"[[quote:{quotation.pk}]]\n\n[[quote:{anonymous.pk}]]\n\nSee [[q:{own.pk}]].",
        title="Quoted",
        published_at=published,
        updates=[{"body": "Later.", "timestamp": published + datetime.timedelta(hours=5)}],
    )


def test_the_post_page_has_blogposting_json_ld(client, quoted_post):
    data = structured_data(client, quoted_post)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Quoted"
    assert data["url"] == "http://testserver" + quoted_post.get_absolute_url()
    published = datetime.datetime.fromisoformat(data["datePublished"])
    modified = datetime.datetime.fromisoformat(data["dateModified"])
    assert published == quoted_post.published_at
    assert modified == quoted_post.last_updated_at > published
    assert data["author"] == {"@type": "Person", "name": "Pat Writer"}
    [source] = data["citation"]
    assert source["@type"] == "NewsArticle"
    assert source["name"] == "Obama Offered Deal to Russia in Secret Letter"
    assert source["url"].startswith("https://www.nytimes.com/")
    assert source["publisher"] == {"@type": "Organization", "name": "The New York Times"}
    assert source["author"] == {"@type": "Person", "name": "Peter Baker"}


def test_each_quotation_is_a_json_ld_quotation_with_speaker_and_source(client, quoted_post):
    named, anonymous, own = structured_data(client, quoted_post)["hasPart"]
    for item in (named, anonymous, own):
        assert item["@type"] == "Quotation"
        assert item["isBasedOn"]["@type"] == "NewsArticle"
        assert item["isBasedOn"]["@id"].endswith(
            "/sources/" + quoted_post.quotations.first().source.slug + "/"
        )
    assert named["text"] == "No one links these issues to any exchange."
    assert named["spokenByCharacter"]["@type"] == "Person"
    assert named["spokenByCharacter"]["name"] == "Dmitri A. Medvedev"
    assert named["creator"] == named["spokenByCharacter"]
    # Credited in words: no Person without a name, which validators flag.
    assert anonymous["creditText"] == "a senior official"
    assert "creator" not in anonymous
    assert "spokenByCharacter" not in anonymous
    assert own["creator"] == {"@type": "Organization", "name": "The New York Times"}


def test_json_ld_cannot_break_out_of_its_script_element():
    script = str(json_ld({"headline": "</script><script>alert(1)</script> & <!--"}))
    body = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body)["headline"] == "</script><script>alert(1)</script> & <!--"


def test_a_title_with_markup_stays_inside_the_json_ld(client, make_post):
    post = make_post(title="</script><script>alert(1)</script>")
    assert structured_data(client, post)["headline"] == "</script><script>alert(1)</script>"
