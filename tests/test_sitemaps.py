"""The sitemap is an index of sections, each paged: past the per-file limit nothing is dropped."""

import re

import pytest
from django.urls import reverse

from blog.sitemaps import PostSitemap, SectionSitemap
from config.urls import sitemaps

from .test_discovery import sitemap_entries, sitemap_sections

BASE = "http://testserver"


@pytest.fixture
def small_files(monkeypatch):
    """Three URLs a file, so that a handful of posts spans several pages of a section."""
    monkeypatch.setattr(PostSitemap, "limit", 3)


def test_the_index_links_every_page_of_every_section(client, make_post, small_files):
    for _ in range(7):
        make_post()
    sections = sitemap_sections(client)
    posts = BASE + reverse("sitemap_section", args=["posts"])
    assert [url for url in sections if url.startswith(posts)] == [
        posts,
        f"{posts}?p=2",
        f"{posts}?p=3",
    ]
    for name in sitemaps:
        assert BASE + reverse("sitemap_section", args=[name]) in sections


def test_every_post_is_listed_across_the_pages(client, make_post, small_files):
    posts = [make_post() for _ in range(7)]
    entries = sitemap_entries(client)
    listed = [url for url in entries if re.search(r"/\d{4}/\d\d/\d\d/", url)]
    assert sorted(listed) == sorted(BASE + post.get_absolute_url() for post in posts)
    assert client.get(reverse("sitemap_section", args=["posts"]) + "?p=4").status_code == 404


def test_sections_are_bounded_and_the_index_computes_no_lastmod_over_a_table(
    client, make_post, django_assert_max_num_queries
):
    assert all(issubclass(section, SectionSitemap) for section in sitemaps.values())
    assert all(section.limit <= 50_000 for section in sitemaps.values())
    for _ in range(4):
        make_post()
    with django_assert_max_num_queries(len(sitemaps)):  # one COUNT a section, no item loaded
        assert "<lastmod>" not in client.get("/sitemap.xml").content.decode()


def test_an_unknown_section_is_a_404(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_names_the_index(client, db):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()
