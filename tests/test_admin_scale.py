"""The admin pages editors and moderators live in cost the same at any size.

Each test counts queries with N rows and again with 2N: the count must not move.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.big_fields import POST_BIG_FIELDS
from quotes.models import Source

from .plans import plan


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        assert response.status_code == 200, url
    return [query["sql"] for query in captured]


def cited_post(make_post, quotations):
    return make_post("\n\n".join(f"[[quote:{q.pk}]]" for q in quotations))


@pytest.fixture
def quotations(make_quotation, speaker):
    return [make_quotation(f"Words number {n}.", speaker=speaker) for n in range(20)]


def test_the_post_change_form_costs_the_same_with_10_or_20_quotations(
    admin_client, make_post, quotations
):
    def change_form(post):
        return len(queries(admin_client, reverse("admin:blog_post_change", args=[post.pk])))

    ten, twenty = cited_post(make_post, quotations[:10]), cited_post(make_post, quotations)
    change_form(ten)  # the first admin page of a test also loads the content types
    assert change_form(ten) == change_form(twenty) <= 12


def test_the_quotation_autocomplete_costs_the_same_for_11_or_20_results(admin_client, quotations):
    def search(term):
        params = {"app_label": "blog", "model_name": "post", "field_name": "quotations"}
        sql = queries(admin_client, "/admin/autocomplete/", {**params, "term": term})
        return len(sql)

    # "Words number 1" matches 1 and 10-19 (11 results); "Words" all 20.
    search("Words")
    assert search("Words number 1") == search("Words") <= 5


def finder(client, term, page=1):
    params = {"app_label": "blog", "model_name": "post", "field_name": "quotations"}
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/autocomplete/", {**params, "term": term, "page": page})
    assert response.status_code == 200
    return response.json(), [query["sql"] for query in captured]


def test_the_quotation_finder_matches_word_starts_speakers_sources_and_ids_without_counting(
    admin_client, make_quotation, speaker
):
    treaty = make_quotation("The treaty was signed at dawn.", speaker=speaker)
    gazette = Source.objects.create(title="The Harbour Gazette", publisher="Gazette Press")
    other = make_quotation("Nothing about agreements here.", source=gazette)
    many = [make_quotation(f"Missile defense, part {n}.") for n in range(25)]
    found, sql = finder(admin_client, "trea")  # while typing
    assert [int(r["id"]) for r in found["results"]] == [treaty.pk]
    assert not [q for q in sql if "COUNT(" in q.upper() or " LIKE " in q.upper()]
    by_speaker, _ = finder(admin_client, speaker.name.split()[-1][:4])
    assert str(treaty.pk) in {r["id"] for r in by_speaker["results"]}
    by_source, _ = finder(admin_client, "harb gazette")
    assert [r["id"] for r in by_source["results"]] == [str(other.pk)]
    by_id, _ = finder(admin_client, f"#{other.pk}")
    assert [r["id"] for r in by_id["results"]] == [str(other.pk)]
    first, _ = finder(admin_client, "missile def")
    assert len(first["results"]) == 20 and first["pagination"]["more"] is True
    second, _ = finder(admin_client, "missile def", page=2)
    assert len(second["results"]) == 5 and second["pagination"]["more"] is False
    listed = {r["id"] for r in first["results"] + second["results"]}
    assert listed == {str(q.pk) for q in many}


def test_the_post_changelist_loads_no_body_or_stored_page_and_does_not_grow(
    admin_client, make_post
):
    url = reverse("admin:blog_post_changelist")
    for _ in range(3):
        make_post()
    queries(admin_client, url)
    few = queries(admin_client, url)
    for _ in range(6):
        make_post()
    many = queries(admin_client, url)
    assert len(many) == len(few)
    rows = [sql for sql in many if re.match(r'SELECT "blog_post"."id", "blog_post"."title"', sql)]
    assert rows, many
    for field in POST_BIG_FIELDS:
        assert f'"blog_post"."{field}"' not in rows[0]


def test_the_post_changelist_reads_a_page_in_index_order(admin_client, make_post):
    """Every post newest first, as the admin lists them: a page is read from the
    post_newest_first index, not sorted from the whole table (100,000 posts at 254 ms)."""
    for _ in range(3):
        make_post()
    with CaptureQueriesContext(connection) as captured:
        admin_client.get(reverse("admin:blog_post_changelist"))
    listing = next(q["sql"] for q in captured if re.match(r'SELECT "blog_post"."id"', q["sql"]))
    found = plan(listing)
    assert "post_newest_first" in found, found
    assert "Sort" not in found and "TEMP B-TREE FOR ORDER BY" not in found, found


def test_the_post_changelist_date_drilldown_uses_the_local_day(admin_client, make_post):
    make_post(title="Listed")
    html = admin_client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert (
        "published_on__year" in html or "published_on__month" in html or "published_on__day" in html
    )


def test_the_moderation_queue_costs_the_same_with_2_or_4_commented_posts(
    admin_client, make_post, make_comment
):
    url = reverse("admin:blog_comment_changelist")
    for _ in range(2):
        make_comment(make_post())
    queries(admin_client, url)
    few = queries(admin_client, url)
    for _ in range(2):
        make_comment(make_post())
    many = queries(admin_client, url)
    assert len(many) == len(few)
    for sql in many:  # no post loaded whole: the sidebar lists no posts
        assert '"blog_post"."body_html"' not in sql


def test_the_queue_filters_by_post_from_a_link_on_each_row(admin_client, make_post, make_comment):
    chosen, other = make_post(title="Chosen post"), make_post(title="Other post")
    make_comment(chosen, text="On the chosen one.")
    make_comment(other, text="On the other one.")
    url = reverse("admin:blog_comment_changelist")
    html = admin_client.get(url).content.decode()
    link = f'href="{url}?post__id__exact={chosen.pk}" class="comments-on-post"'
    assert link in html
    filtered = admin_client.get(url, {"post__id__exact": chosen.pk}).content.decode()
    assert "On the chosen one." in filtered and "On the other one." not in filtered
    assert "Chosen post" in filtered
    assert admin_client.get(url, {"post__id__exact": "x"}).status_code == 200
