"""Tags: each post links its tags; a tag page lists its published posts, paged."""

import datetime
import re

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import Post, Tag


def test_a_post_links_each_of_its_tags(client, make_post):
    post = make_post(title="Tagged")
    post.tags.create(name="Missile defense")
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<a class="tag" rel="tag" href="/tags/missile-defense/">Missile defense</a>' in html


def test_the_tag_page_lists_published_posts_with_that_tag_only(client, make_post):
    russia = Tag.objects.create(name="Russia")
    tagged = make_post(title="About Russia")
    tagged.tags.add(russia)
    make_post(title="About something else").tags.create(name="Economy")
    draft = make_post(title="Draft about Russia", status=Post.Status.DRAFT)
    draft.tags.add(russia)
    response = client.get(reverse("blog:tag", args=["russia"]))
    html = response.content.decode()
    assert "<h1>Posts tagged Russia</h1>" in html
    assert "About Russia" in html
    assert "something else" not in html and "Draft about Russia" not in html
    assert 'href="/tags/russia/feed.atom"' in html


def test_the_tag_page_is_paged_and_an_unknown_tag_is_a_404(client, make_post):
    tag = Tag.objects.create(name="Busy")
    now = timezone.now()
    for day in range(12):
        make_post(title=f"Busy day {day}", published_at=now - datetime.timedelta(days=day + 1))
    for post in Post.objects.all():
        post.tags.add(tag)
    first = client.get(tag.get_absolute_url()).content.decode()
    assert "Busy day 0" in first and "Busy day 10" not in first
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(tag.get_absolute_url() + older).content.decode()
    assert "Busy day 10" in second and "Busy day 11" in second and "Busy day 9<" not in second
    assert 'rel="next"' not in second  # the oldest post is reached
    assert client.get(tag.get_absolute_url(), {"before": "x"}).status_code == 404
    assert client.get(reverse("blog:tag", args=["no-such-tag"])).status_code == 404


def test_the_tag_index_counts_published_posts_and_hides_empty_tags(client, make_post):
    shown = Tag.objects.create(name="Shown")
    Tag.objects.create(name="Unused")
    make_post().tags.add(shown)
    make_post().tags.add(shown)
    make_post(status=Post.Status.DRAFT).tags.add(shown)
    html = client.get(reverse("blog:tags")).content.decode()
    assert 'Shown</a> <span class="count">2 posts</span>' in html
    assert "Unused" not in html


def test_tag_pages_queries_do_not_grow_with_posts(client, make_post, uncached):
    tag = Tag.objects.create(name="Counted")
    make_post().tags.add(tag)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries(tag.get_absolute_url()), queries(reverse("blog:tags"))
    for i in range(8):
        post = make_post()
        post.tags.add(tag)
        post.tags.create(name=f"Other {i}")
    assert (queries(tag.get_absolute_url()), queries(reverse("blog:tags"))) == few


def test_editors_manage_tags_in_the_admin(editor_client):
    response = editor_client.post(
        reverse("admin:blog_tag_add"), {"name": "Arms control", "slug": "arms-control"}
    )
    assert response.status_code == 302
    assert Tag.objects.get(slug="arms-control").name == "Arms control"


def test_tag_counts_stop_at_the_cap_so_their_cost_does_not_grow(client, make_post, monkeypatch):
    from blog import views

    monkeypatch.setattr(views, "TAG_COUNT_CAP", 3)
    busy, quiet = Tag.objects.create(name="Busy"), Tag.objects.create(name="Quiet")
    for _ in range(5):
        make_post().tags.add(busy)
    make_post().tags.add(quiet)
    make_post(status=Post.Status.DRAFT).tags.add(quiet)
    html = client.get(reverse("blog:tags")).content.decode()
    assert 'Busy</a> <span class="count">3+ posts</span>' in html
    assert 'Quiet</a> <span class="count">1 post</span>' in html


def test_the_tag_index_costs_three_queries_at_any_size(
    client, make_post, django_assert_num_queries, uncached
):
    tag = Tag.objects.create(name="Counted")
    for _ in range(3):
        make_post().tags.add(tag)
    # A page of tags with posts, their unpublished posts, their capped counts.
    with django_assert_num_queries(3):
        client.get(reverse("blog:tags"))
    for i in range(6):
        make_post().tags.add(tag, Tag.objects.create(name=f"More {i}"))
        make_post(status=Post.Status.DRAFT).tags.add(tag)
    with django_assert_num_queries(3):
        client.get(reverse("blog:tags"))


def test_lists_show_each_posts_stored_line_and_render_it_only_when_not_stored_yet(
    client, make_post, make_quotation, uncached
):
    """Tag, month, search and "posts quoting this" lists show Post.line_html; a post not
    rendered since the column came (its line empty) is still listed, linked and dated."""
    russia = Tag.objects.create(name="Russia")
    quotation = make_quotation("Words about Russia.")
    posts = [
        make_post(f"Russia.\n\n[[quote:{quotation.pk}]]", title=f"Russia {i}") for i in range(3)
    ]
    for post in posts:
        post.tags.add(russia)
    when = timezone.localtime(posts[0].published_at)
    lists = [
        reverse("blog:tag", args=["russia"]),
        reverse("blog:month", args=[f"{when:%Y}", f"{when:%m}"]),
        reverse("blog:search") + "?q=Russia",
        quotation.get_absolute_url(),
    ]
    for url in lists:
        response = client.get(url)
        assert "blog/_post_line.html" not in [t.name for t in response.templates], url
        html = response.content.decode()
        for post in posts:
            stored = Post.objects.get(pk=post.pk).line_html
            assert stored.startswith(f'<a href="{post.get_absolute_url()}">{post.title}</a>')
            assert stored in html, url
    Post.objects.filter(pk=posts[1].pk).update(line_html="")
    for url in lists:
        response = client.get(url)
        assert "blog/_post_line.html" in [t.name for t in response.templates], url
        assert f'<a href="{posts[1].get_absolute_url()}">Russia 1</a>' in response.content.decode()


def test_tag_counts_read_a_bounded_range_of_the_tag_post_index(client, make_post):
    """Each count is a LIMITed read of one tag's entries, which the (tag_id, post_id) index
    holds in order: the count stops after TAG_COUNT_CAP + 1 entries. (Which index PostgreSQL
    picks for a test's few rows depends on its statistics; at 100,000 posts, without this
    index, it gathered every post of a tag first: bench/results.md.)"""
    tag = Tag.objects.create(name="Counted")
    for _ in range(3):
        make_post().tags.add(tag)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("blog:tags"))
    counting = next(q["sql"] for q in captured if "capped" in q["sql"])
    assert 'FROM "blog_post_tags" U0 WHERE U0."tag_id" = ("blog_tag"."id") LIMIT 101' in counting
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "blog_post_tags")
    assert indexes["post_tags_by_tag"]["columns"] == ["tag_id", "post_id"]


def count_shown(client, name):
    html = client.get(reverse("blog:tags")).content.decode()
    return re.search(rf'>{name}</a> <span class="count">([^<]+)</span>', html).group(1)


def test_tag_counts_leave_out_drafts_and_scheduled_posts_exactly_up_to_the_cap(
    client, make_post, monkeypatch
):
    """Counts are index entries less unpublished posts: exact below the cap whatever the
    drafts, "3+" only when three or more are published, and a scheduled post counted once
    its time comes."""
    from blog import views

    monkeypatch.setattr(views, "TAG_COUNT_CAP", 3)
    start = timezone.now()
    tags = {name: Tag.objects.create(name=name) for name in ["Big", "Held", "Soon"]}

    def tagged(name, count, **fields):
        for _ in range(count):
            make_post(**fields).tags.add(tags[name])

    tagged("Big", 4)
    tagged("Big", 3, status=Post.Status.DRAFT)
    tagged("Held", 3)  # exactly the cap: "3 posts", not "3+"
    tagged("Held", 5, status=Post.Status.DRAFT)
    tagged("Soon", 1)
    tagged("Soon", 2, published_at=start + datetime.timedelta(hours=1))  # scheduled
    assert count_shown(client, "Big") == "3+ posts"
    assert count_shown(client, "Held") == "3 posts"
    assert count_shown(client, "Soon") == "1 post"
    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        assert count_shown(client, "Soon") == "3 posts"
