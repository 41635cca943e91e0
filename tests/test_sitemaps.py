"""The sitemap is an index of sections, each paged: past the per-file limit nothing is dropped."""

import datetime
import math
import re
import xml.etree.ElementTree as ET  # noqa: N817

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

from blog.models import Post
from blog.sitemaps import PostSitemap, SectionSitemap
from config.urls import sitemaps
from quotes.models import Speaker

from .plans import plan
from .test_discovery import NS, sitemap_entries, sitemap_sections

BASE = "http://testserver"


@pytest.fixture
def one_file(monkeypatch):
    """Every row on a section's first page, whatever ids the database has handed out."""
    monkeypatch.setattr(SectionSitemap, "limit", 10**9)


@pytest.fixture
def small_files(monkeypatch):
    """Three URLs a file, so that a handful of posts spans several pages of a section."""
    monkeypatch.setattr(PostSitemap, "limit", 3)


def test_the_index_links_every_page_of_every_section(client, make_post, small_files):
    for _ in range(7):
        make_post()
    sections = sitemap_sections(client)
    posts = BASE + reverse("sitemap_section", args=["posts"])
    # Pages are id ranges of `limit` (blog/sitemaps.py): as many as the largest id needs.
    pages = math.ceil(Post.objects.latest("pk").pk / 3)
    assert pages >= 3
    assert [url for url in sections if url.startswith(posts)] == [
        posts,
        *(f"{posts}?p={page}" for page in range(2, pages + 1)),
    ]
    for name in sitemaps:
        assert BASE + reverse("sitemap_section", args=[name]) in sections


def test_every_post_is_listed_across_the_pages(client, make_post, small_files):
    posts = [make_post() for _ in range(7)]
    entries = sitemap_entries(client)
    listed = [url for url in entries if re.search(r"/\d{4}/\d\d/\d\d/", url)]
    assert sorted(listed) == sorted(BASE + post.get_absolute_url() for post in posts)
    beyond = math.ceil(max(post.pk for post in posts) / 3) + 1
    section = reverse("sitemap_section", args=["posts"])
    assert client.get(f"{section}?p={beyond}").status_code == 404
    assert client.get(f"{section}?p=x").status_code == 404


def test_a_page_never_holds_more_than_the_limit(client, make_post, small_files):
    for _ in range(7):
        make_post()
    section = reverse("sitemap_section", args=["posts"])
    for page in range(1, math.ceil(Post.objects.latest("pk").pk / 3) + 1):
        assert client.get(f"{section}?p={page}").content.decode().count("<url>") <= 3


def test_sections_are_bounded_and_the_index_computes_no_lastmod_over_a_table(client, make_post):
    assert all(issubclass(section, SectionSitemap) for section in sitemaps.values())
    assert all(section.limit <= 50_000 for section in sitemaps.values())
    for _ in range(4):
        make_post()
    with CaptureQueriesContext(connection) as queries:
        assert "<lastmod>" not in client.get("/sitemap.xml").content.decode()
    # One query of index lookups (each table's largest id): no COUNT, no item loaded.
    assert len(queries) == 1
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize("limit", [3, 50_000])
def test_the_index_is_what_djangos_own_index_view_writes(
    rf, make_post, make_quotation, monkeypatch, limit
):
    """blog.sitemaps.index writes the index from one query; Django's view, given the same
    sections, must write the same bytes."""
    from django.contrib.sitemaps import views as sitemap_views

    from blog.sitemaps import index

    monkeypatch.setattr(SectionSitemap, "limit", limit)
    for i in range(7):
        make_post(f"[[quote:{make_quotation(f'Words {i}.').pk}]]").tags.create(name=f"T{i}")
    request = rf.get("/sitemap.xml")
    ours = index(request, sitemaps, "sitemap_section")
    django = sitemap_views.index(request, sitemaps, sitemap_url_name="sitemap_section")
    django.render()
    assert ours.content == django.content
    if limit == 3:  # the posts and tags sections span several pages
        assert ours.content.count(b"<sitemap>") > len(sitemaps)
    assert ours["X-Robots-Tag"] == django["X-Robots-Tag"]
    assert ours["Content-Type"] == django["Content-Type"]


def test_an_unknown_section_is_a_404(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_names_the_index(client, db):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_each_section_lists_what_djangos_own_sitemap_view_lists(
    rf, make_post, make_quotation, one_file
):
    """The sections are written by blog.sitemaps.section (Django's template cost ~150 µs a
    URL); Django's own view, given the same sections, must list the same URLs and dates."""
    from django.contrib.sitemaps import views as sitemap_views

    from blog.sitemaps import section

    speaker = Speaker.objects.create(name="Dmitry Medvedev")
    for i in range(3):
        quotation = make_quotation(f"Words {i}.", speaker=speaker)
        post = make_post(f"[[quote:{quotation.pk}]]")
        post.tags.create(name=f"Topic {i}")
    for name in sitemaps:
        request = rf.get(f"/sitemap-{name}.xml")
        ours = section(request, sitemaps, name)
        django = sitemap_views.sitemap(request, sitemaps, name)
        django.render()
        assert entries_of(ours.content) == entries_of(django.content), name
        assert entries_of(ours.content), name
        assert ours["X-Robots-Tag"] == django["X-Robots-Tag"]
        assert ours.get("Last-Modified") == django.get("Last-Modified")


def entries_of(xml):
    root = ET.fromstring(xml)  # noqa: S314 - our own response
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


@pytest.mark.parametrize(
    ("changed", "local_day"),
    [
        ("2025-03-31T23:30:00-04:00", "2025-03-31"),  # 03:30 UTC on April 1st
        ("2025-04-01T00:30:00-04:00", "2025-04-01"),
        ("2025-12-31T23:30:00-05:00", "2025-12-31"),  # New Year's Eve, 04:30 UTC on Jan 1st
    ],
)
def test_a_posts_lastmod_is_its_local_date_and_the_page_its_latest_moment(
    rf, make_post, changed, local_day, one_file
):
    from blog.sitemaps import section

    moment = datetime.datetime.fromisoformat(changed)
    post = make_post(title="Late", published_at=moment - datetime.timedelta(days=2))
    Post.objects.filter(pk=post.pk).update(last_updated_at=moment)
    response = section(rf.get("/sitemap-posts.xml"), sitemaps, "posts")
    assert entries_of(response.content) == {BASE + post.get_absolute_url(): local_day}
    # The view's own header (the page cache's middleware may answer with its own).
    assert response["Last-Modified"] == http_date(moment.timestamp())


def test_a_page_of_posts_is_read_from_the_sitemap_index_alone(client, make_post):
    """A page of 1,000 posts with what it prints, from the post_sitemap index: the rows, wide
    with their stored pages, cost a page read every few posts (2.6 -> 0.8 ms at 10,000)."""
    for _ in range(3):
        make_post()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("sitemap_section", args=["posts"])).status_code == 200
    reads = [q["sql"] for q in captured if 'FROM "blog_post" WHERE' in q["sql"]]
    assert len(reads) == 2, reads  # the entries and the latest change
    for sql in reads:
        found = plan(sql, index_only=True)
        if connection.vendor == "postgresql":
            assert "Index Only Scan using post_sitemap" in found, found
        else:  # SQLite's planner, without statistics, prefers the (status, date) index
            assert "SEARCH blog_post USING" in found, found
