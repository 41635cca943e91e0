"""Unpublished stays unpublished: quotations, speakers and sources become public with a post."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from quotes.models import Quotation, Source, Speaker


@pytest.fixture
def unpublished(make_quotation, speaker, make_post):
    """A quotation (with its own speaker and source) cited only by a draft."""
    source = Source.objects.create(title="Secret Letter", publisher="The Daily Scoop")
    quotation = make_quotation(
        "Helicopters over the border.", speaker=speaker, source=source, is_public=False
    )
    post = make_post(f"[[quote:{quotation.pk}]]", status=Post.Status.DRAFT)
    return quotation, post


def pages(quotation):
    return [
        quotation.get_absolute_url(),
        quotation.speaker.get_absolute_url(),
        quotation.source.get_absolute_url(),
        reverse("quotes:speaker_feed_atom", args=[quotation.speaker.slug]),
        reverse("quotes:source_feed_rss", args=[quotation.source.slug]),
    ]


def sitemap_text(client):
    """The sitemap, following an index's parts if it is one."""
    text = client.get("/sitemap.xml").content.decode()
    for part in re.findall(r"<sitemap>\s*<loc>https?://[^/]+([^<]+)</loc>", text):
        text += client.get(part).content.decode()
    return text


def listed_anywhere(client, quotation):
    """Where a reader might find the quotation, its speaker or its source."""
    found = {
        "search": "Helicopters" in client.get("/search/?q=helicopters").content.decode(),
        "speakers": quotation.speaker.name in client.get("/speakers/").content.decode(),
        "sources": "Secret Letter" in client.get("/sources/").content.decode(),
    }
    sitemap = sitemap_text(client)
    for obj in (quotation, quotation.speaker, quotation.source):
        found[f"sitemap {obj.get_absolute_url()}"] = obj.get_absolute_url() in sitemap
    return found


def test_material_cited_only_by_a_draft_is_404_and_listed_nowhere(client, unpublished):
    quotation, _ = unpublished
    for url in pages(quotation):
        assert client.get(url).status_code == 404, url
    assert not any(listed_anywhere(client, quotation).values())


def test_publishing_the_post_makes_its_material_public(client, unpublished):
    quotation, post = unpublished
    post.status = Post.Status.PUBLISHED
    post.save()
    for url in pages(quotation):
        assert client.get(url).status_code == 200, url
    assert all(listed_anywhere(client, quotation).values())
    assert "Helicopters" in client.get(pages(quotation)[3]).content.decode()


def test_a_scheduled_post_makes_its_material_public_when_it_appears_with_the_cache_on(
    client, unpublished
):
    quotation, post = unpublished
    post.status = Post.Status.PUBLISHED
    post.published_at = timezone.now() + datetime.timedelta(hours=1)
    post.save()
    assert client.get(quotation.get_absolute_url()).status_code == 404
    client.get("/speakers/")
    assert client.get("/speakers/")["X-Page-Cache"] == "hit"  # the list is cached without it
    assert not any(listed_anywhere(client, quotation).values())
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        for url in pages(quotation):
            assert client.get(url).status_code == 200, url
        assert all(listed_anywhere(client, quotation).values())


def test_an_editor_may_mark_material_public_on_its_own(client, make_quotation, speaker):
    quotation = make_quotation("Words of record.", speaker=speaker, is_public=False)
    assert client.get(quotation.get_absolute_url()).status_code == 404
    assert client.get(speaker.get_absolute_url()).status_code == 404
    Quotation.objects.filter(pk=quotation.pk).update(is_public=True)
    assert client.get(quotation.get_absolute_url()).status_code == 200
    assert client.get(speaker.get_absolute_url()).status_code == 200  # through its quotation
    lone = Speaker.objects.create(name="Nobody Quoted Yet")
    assert client.get(lone.get_absolute_url()).status_code == 404
    Speaker.objects.filter(pk=lone.pk).update(is_public=True)
    assert client.get(lone.get_absolute_url()).status_code == 200


def test_words_inside_a_published_excerpt_are_public_with_it(client, make_quotation, make_post):
    excerpt = make_quotation("The paper's long paragraph.", is_public=False)
    inner = make_quotation("short words", within=excerpt, is_public=False)
    assert client.get(inner.get_absolute_url()).status_code == 404
    make_post(f"[[quote:{excerpt.pk}]]")
    assert client.get(inner.get_absolute_url()).status_code == 200


def test_a_public_page_lists_only_public_quotations(client, unpublished, make_quotation):
    quotation, _ = unpublished
    make_quotation("On the record.", speaker=quotation.speaker)  # public on its own
    html = client.get(quotation.speaker.get_absolute_url()).content.decode()
    assert "On the record." in html and "Helicopters" not in html


def test_staff_who_may_edit_see_it_with_a_banner_never_cached(editor_client, unpublished):
    quotation, _ = unpublished
    for url in pages(quotation)[:3]:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert "Not public yet" in response.content.decode()
        assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_moderator_gets_404_on_unpublished_material(client, unpublished):
    moderator = get_user_model().objects.create_user("mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    quotation, _ = unpublished
    for url in pages(quotation)[:3]:
        assert client.get(url).status_code == 404, url


def test_public_is_a_quotations_own_row_and_one_exists_subquery_for_the_others():
    sql = str(Quotation.objects.public().query)  # its copy of its citations (public_from)
    assert "EXISTS" not in sql and "JOIN" not in sql and "blog_citation" not in sql
    for model in (Speaker, Source):
        sql = str(model.objects.public().query)
        assert sql.count("EXISTS") == 1 and "DISTINCT" not in sql and "blog_citation" not in sql


def test_cached_pages_follow_publication_and_the_public_switch(client, unpublished, committed):
    """With the page cache on, every page and list changes the moment visibility does."""
    quotation, post = unpublished
    assert not any(listed_anywhere(client, quotation).values())  # now cached without it
    assert client.get("/speakers/")["X-Page-Cache"] == "hit"
    with committed():
        post.status = Post.Status.PUBLISHED
        post.save()
    assert all(listed_anywhere(client, quotation).values())
    speaker_page = quotation.speaker.get_absolute_url()
    assert "Helicopters" in client.get(speaker_page).content.decode()
    with committed():
        post.status = Post.Status.DRAFT
        post.save()
    assert not any(listed_anywhere(client, quotation).values())
    assert client.get(speaker_page).status_code == 404


def test_cached_pages_follow_the_public_on_its_own_switch(client, unpublished, committed):
    quotation, _ = unpublished
    assert not any(listed_anywhere(client, quotation).values())  # now cached without it
    with committed():
        quotation.is_public = True  # as the admin's form saves it
        quotation.save()
    assert client.get(quotation.get_absolute_url()).status_code == 200
    assert all(listed_anywhere(client, quotation).values())
    with committed():
        quotation.is_public = False
        quotation.save()
    for url in pages(quotation):
        assert client.get(url).status_code == 404, url
    assert not any(listed_anywhere(client, quotation).values())


def test_unticking_a_speaker_public_on_its_own_takes_its_cached_page_down(client, db, committed):
    with committed():
        speaker = Speaker.objects.create(name="Lone Voice", is_public=True)
    assert client.get(speaker.get_absolute_url()).status_code == 200
    assert client.get(speaker.get_absolute_url())["X-Page-Cache"] == "hit"
    assert "Lone Voice" in client.get("/speakers/").content.decode()
    with committed():
        speaker.is_public = False
        speaker.save()
    assert client.get(speaker.get_absolute_url()).status_code == 404
    assert "Lone Voice" not in client.get("/speakers/").content.decode()


def test_unpublishing_takes_cached_pages_down_for_every_reader(client, unpublished, committed):
    quotation, post = unpublished
    with committed():
        post.status = Post.Status.PUBLISHED
        post.save()
    url = quotation.speaker.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    with committed():
        post.status = Post.Status.DRAFT
        post.save()
    assert [client.get(url).status_code for _ in range(3)] == [404, 404, 404]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner check")
def test_public_speakers_probe_their_quotations_per_row_never_hashing_every_quotation(
    make_post, make_quotation, speaker
):
    """`Speaker.objects.public()` must stay an index probe of each speaker's quotations:
    PostgreSQL can turn an equality-correlated EXISTS into a hash of every public quotation,
    a whole-table pass per request however few speakers the page shows."""
    make_post(f"[[quote:{make_quotation('Words', speaker=speaker, is_public=False).pk}]]")
    sql, params = Speaker.objects.public().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # what a large table's planner sees
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "SubPlan" in plan and "hashed SubPlan" not in plan, plan
