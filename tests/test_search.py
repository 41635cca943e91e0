"""Search: posts and quotations in two groups, paged; any query answers cleanly."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import Post, SearchDocument
from blog.search import MAX_QUERY_CHARS, clean_query, terms

SEARCH = reverse("blog:search")
HOUR = datetime.timedelta(hours=1)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
)


def search(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading_id):
    """The part of the page under one group's heading."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_search_finds_posts_by_title_and_body_and_hides_drafts(client, make_post):
    make_post("Nothing relevant.", title="Letters to Moscow")
    make_post("A secret letter was sent to Moscow.", title="Diplomacy")
    make_post("Moscow draft.", title="Unpublished", status=Post.Status.DRAFT)
    posts = section(search(client, "moscow"), "posts-heading")
    assert "Letters to Moscow" in posts and "Diplomacy" in posts
    assert "Unpublished" not in posts


def test_search_finds_quotations_by_words_speaker_and_source(client, quotation, make_post):
    make_post("Unrelated.", title="Unrelated post")
    for q in ["exchange", "Medvedev", "Secret Letter", "new york times"]:
        html = search(client, q)
        quotes = section(html, "quotations-heading")
        assert 'id="quote-' in quotes, q
        assert "No one links these issues to any exchange." in quotes
        assert "Unrelated post" not in html


def test_results_are_grouped_and_counted(client, make_post, quotation):
    make_post("Medvedev spoke in Madrid.", title="Madrid")
    html = search(client, "Madrid")
    assert "1 post and 1 quotation match “Madrid”." in html
    assert html.index('id="posts-heading"') < html.index('id="quotations-heading"')


def test_every_word_must_match_and_quoted_phrases_stay_together(client, make_post):
    make_post("The missile defense system in Eastern Europe.", title="Shield")
    make_post("Defense of the missile budget.", title="Budget")
    both = section(search(client, "missile defense"), "posts-heading")
    assert "Shield" in both and "Budget" in both
    phrase = section(search(client, '"missile defense"'), "posts-heading")
    assert "Shield" in phrase and "Budget" not in phrase
    neither = section(search(client, "missile zebra"), "posts-heading")
    assert "No posts match." in neither


def test_each_group_is_paged_on_its_own_keeping_the_query(client, make_post, make_quotation):
    for i in range(12):
        make_post(f"Iran again ({i}).", title=f"Iran post {i}")
        make_quotation(f"Iran, said source {i}.")
    first = search(client, "iran")
    assert "12 posts and 12 quotations" in first
    assert 'href="?q=iran&amp;page=2"' in first and 'href="?q=iran&amp;qpage=2"' in first
    second = search(client, "iran", page=2, qpage=2)
    assert section(second, "posts-heading").count("Iran post") == 2
    assert section(second, "quotations-heading").count('class="quotation"') == 2
    assert client.get(SEARCH, {"q": "iran", "page": 9}).status_code == 404


@pytest.mark.parametrize(
    "q",
    ["", "   ", '"', "'", '""', "%", "_", "%_%", "\\", "a & b | !c", "(", "):*", "<script>",
     "Медведев", "日本語", "naïve café", "\x00", "null\x00byte", "😀", "-", "or", "the"],
)  # fmt: skip
def test_odd_queries_answer_cleanly(client, make_post, quotation, q):
    make_post("100% sure, 50_50.", title="Percent")
    html = search(client, q)
    assert "<script>" not in html.split("<main", 1)[1]
    assert "\x00" not in html


def test_percent_and_underscore_are_literal_not_wildcards(client, make_post):
    make_post("Plain words.", title="No percent here")
    assert "No posts match." in search(client, "%")
    assert "No posts match." in search(client, "_")


def test_an_empty_query_shows_the_form_and_no_results(client, db):
    html = search(client, "")
    assert '<input type="search" id="search-q" name="q"' in html
    assert "posts-heading" not in html


def test_an_overlong_query_is_shortened_and_said_so(client, make_post):
    make_post("Findable words.", title="Findable")
    html = search(client, "findable " + "x" * 5000)
    assert "shortened to its first 200 characters" in html
    assert len(clean_query("y" * 5000)) == MAX_QUERY_CHARS


def test_query_cleaning_and_terms():
    assert clean_query("  a\x00b \n c\u200b ") == "ab c"
    assert terms('“missile defense”, Iran! "Iran"') == ["missile defense", "Iran"]
    assert terms("%") == ["%"] and terms("...") == []


def test_search_page_queries_are_constant(client, make_post, make_quotation, speaker, uncached):
    make_post("Constant words.")
    make_quotation("Constant words.", speaker=speaker)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            search(client, "constant")
        return len(captured)

    few = queries()
    for i in range(10):
        make_post(f"Constant words {i}.").tags.create(name=f"t{i}")
        make_quotation(f"Constant words {i}.", speaker=speaker if i % 2 else None)
    # Per group the ranked ids and the page, and the posts' citations of the matching
    # quotations; on SQLite also which are public.
    assert queries() == few == (5 if connection.vendor == "postgresql" else 7)


def test_search_pages_are_not_indexed(client, db):
    assert '<meta name="robots" content="noindex, follow">' in search(client, "x")


def test_search_stems_and_ranks_title_matches_first(client, make_post):
    make_post("Talks began; the negotiators met.", title="A quiet week")
    make_post("Nothing else.", title="Negotiations with Russia")
    posts = section(search(client, "negotiate"), "posts-heading")
    assert "A quiet week" in posts and "Negotiations with Russia" in posts
    assert posts.index("Negotiations with Russia") < posts.index("A quiet week")


@on_postgresql
def test_postgresql_search_accepts_web_search_syntax(client, make_post):
    make_post("Missile defense in Poland.", title="Poland")
    make_post("Missile defense in Czechia.", title="Czechia")
    posts = section(search(client, "missile -poland"), "posts-heading")
    assert "Czechia" in posts and "Poland" not in posts


def test_a_speakers_name_finds_the_posts_quoting_them_first(client, demo):
    """The reference post quotes Medvedev: searching his name finds it, on either database."""
    posts = section(search(client, "Medvedev"), "posts-heading")
    assert "Obama to Russia: Help Us And We" in posts
    titles = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', posts)
    assert titles[0].startswith("Obama to Russia")


@pytest.mark.parametrize(
    "written, searched", [("Obama’s letter", "Obama's"), ("Obama's letter", "Obama’s")]
)
def test_straight_and_curly_apostrophes_find_each_other(client, make_post, written, searched):
    make_post(f"About {written} to Moscow.", title="The letter")
    assert "The letter" in section(search(client, searched), "posts-heading")


def test_a_renamed_speaker_is_found_by_the_new_name_once_rendered(
    client, make_post, quotation, run_worker
):
    make_post(f"[[quote:{quotation.pk}]]", title="Quoting him")
    quotation.speaker.name = "Dmitry Anatolyevich"
    quotation.speaker.save()
    run_worker()
    assert "Quoting him" in section(search(client, "Anatolyevich"), "posts-heading")


def test_a_post_taken_out_of_publication_is_no_longer_found(client, make_post, uncached):
    post = make_post("Sanctions on steel.", title="Steel")
    assert "Steel" in section(search(client, "steel"), "posts-heading")
    post.status = Post.Status.DRAFT
    post.save()
    assert "No posts match." in section(search(client, "steel"), "posts-heading")


@on_postgresql
def test_a_post_is_hidden_even_where_its_documents_copies_lag_behind(client, make_post, uncached):
    # Search ranks by the copies of status and date kept beside each post's document; the
    # page it shows is read through Post.objects.published, so a copy behind hides no draft.
    make_post("Sanctions on steel.", title="Steel")
    Post.objects.update(status=Post.Status.DRAFT)  # no render: the copy still says published
    assert SearchDocument.objects.get().status == Post.Status.PUBLISHED
    assert "Steel" not in section(search(client, "steel"), "posts-heading")


@on_postgresql
def test_posts_are_ranked_from_their_documents_table_alone(client, make_post):
    from tests.plans import plan

    post = make_post("Sanctions on steel.", title="Steel", published_at=timezone.now() - HOUR)
    document = SearchDocument.objects.get(post=post)
    assert (document.status, document.published_at) == (post.status, post.published_at)
    with CaptureQueriesContext(connection) as captured:
        search(client, "steel")
    ranking = next(q["sql"] for q in captured if "ts_rank" in q["sql"] and "blog_post" in q["sql"])
    assert 'FROM "blog_post_search"' in ranking and '"blog_post".' not in ranking
    assert "post_search_newest" in plan(ranking)
