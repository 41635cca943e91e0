"""What readers see: front page, posts, archives, quotation, speaker and source pages."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from blog.models import Post
from blog.paging import cursor

now = timezone.now


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def days_ago(days, hour=12):
    local = timezone.localtime() - datetime.timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_front_page_shows_newest_first_ten_a_page_with_date_headers(client, make_post):
    for day in range(12):
        make_post(title=f"Day {day}", published_at=days_ago(day + 1))
    first = client.get(reverse("blog:index")).content.decode()
    assert first.index("Day 0") < first.index("Day 9")
    assert "Day 10" not in first
    header = days_ago(1).strftime("%A, %B %d, %Y")
    assert f'<h2 class="date-header">{header}</h2>' in first
    assert first.count('class="date-header"') == 10
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(reverse("blog:index") + older).content.decode()
    assert "Day 10" in second and "Day 11" in second and "Day 9<" not in second
    assert 'rel="next"' not in second  # the oldest page
    newer = re.search(r'rel="prev" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    assert "Day 0" in client.get(reverse("blog:index") + newer).content.decode()


def test_a_page_given_both_cursors_is_the_page_before_the_first(client, make_post):
    posts = [make_post(title=f"Day {n}", published_at=now() - datetime.timedelta(days=n))
             for n in range(3)]  # fmt: skip
    older = {"before": cursor(posts[0])}
    both = {**older, "after": cursor(posts[2])}
    assert client.get("/", both).content == client.get("/", older).content
    assert "Day 1" in client.get("/", both).content.decode()


@pytest.mark.parametrize("cursor", ["abc", "-1", "20091301T000000.000000Z_1"])
def test_a_malformed_page_cursor_is_a_404(client, make_post, cursor):
    make_post()
    assert client.get(reverse("blog:index"), {"before": cursor}).status_code == 404


def test_two_posts_on_one_day_share_one_date_header(client, make_post):
    make_post(title="Morning", published_at=days_ago(1, hour=9))
    make_post(title="Evening", published_at=days_ago(1, hour=18))
    assert client.get("/").content.decode().count('class="date-header"') == 1


def test_front_page_queries_do_not_grow_with_posts(client, make_post, quotation, uncached):
    make_post(f"[[quote:{quotation.pk}]]")
    few = queries_for(client, "/")
    for _ in range(12):
        post = make_post(f"[[quote:{quotation.pk}]]", updates=[{"body": "u"}])
        post.tags.create(name=f"tag {post.pk}")
    assert queries_for(client, "/") == few
    assert few <= 6
    older = re.search(r'rel="next" href="([^"]+)"', client.get("/").content.decode()).group(1)
    assert queries_for(client, "/" + older.replace("&amp;", "&")) == few  # no COUNT, no OFFSET


def test_post_page_queries_do_not_grow_with_quotations_and_updates(
    client, make_post, make_quotation, speaker, uncached
):
    one = make_quotation(speaker=speaker)
    small = make_post(f"[[quote:{one.pk}]]", updates=[{"body": "One update."}])
    many = [make_quotation(f"Words {i}", speaker=speaker if i % 2 else None) for i in range(50)]
    body = "\n\n".join(f"[[quote:{q.pk}]]" for q in many)
    large = make_post(body, updates=[{"body": f"Update {i}."} for i in range(20)])
    assert large.quotations.count() == 50 and large.updates.count() == 20
    small_count = queries_for(client, small.get_absolute_url())
    assert queries_for(client, large.get_absolute_url()) == small_count
    assert small_count <= 8


def test_the_post_page_shows_updates_with_timestamps_top_and_appended(client, make_post):
    post = make_post(
        "The body.",
        updates=[
            {"body": "On top.", "placement": "top", "timestamp": days_ago(0, hour=1)},
            {"body": "At the end.", "kind": "correction", "timestamp": days_ago(0, hour=2)},
        ],
    )
    html = client.get(post.get_absolute_url()).content.decode()
    article = html[html.index("<article") :]
    assert article.index("On top.") < article.index("The body.") < article.index("At the end.")
    assert article.count('<p class="update-when"><time datetime=') == 2
    assert "Correction:</strong>" in article and "Update:</strong>" in article
    assert '<span class="updated">Updated <time' in article


@pytest.fixture
def hidden_posts(make_post):
    return [
        make_post(title="A draft", status=Post.Status.DRAFT, published_at=days_ago(2)),
        make_post(title="Scheduled", published_at=now() + datetime.timedelta(days=2)),
    ]


def test_drafts_and_future_posts_are_hidden_from_readers(client, make_post, hidden_posts):
    make_post(title="Visible", published_at=days_ago(2))
    year = client.get(reverse("blog:year", args=[f"{days_ago(2).year}"])).content.decode()
    assert "1 post, by month." in year  # the year page counts; its months list the posts
    pages = ["/", reverse("blog:month", args=[f"{days_ago(2).year}", f"{days_ago(2).month:02d}"])]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Visible" in html
        assert "A draft" not in html and "Scheduled" not in html
    for post in hidden_posts:
        assert client.get(post.get_absolute_url()).status_code == 404


def test_staff_preview_drafts_and_scheduled_posts_uncached(editor_client, hidden_posts):
    for post in hidden_posts:
        response = editor_client.get(post.get_absolute_url())
        assert response.status_code == 200
        assert "Readers cannot see it yet." in response.content.decode()
        assert "no-cache" in response["Cache-Control"]


def test_a_scheduled_post_appears_when_its_time_comes(client, make_post):
    post = make_post(title="Soon", published_at=now() + datetime.timedelta(seconds=1))
    assert client.get(post.get_absolute_url()).status_code == 404
    Post.objects.filter(pk=post.pk).update(published_at=now() - datetime.timedelta(seconds=1))
    assert client.get(post.get_absolute_url()).status_code == 200


def test_archives_list_posts_by_year_and_month(client, make_post):
    make_post(title="March post", published_at=timezone.make_aware(datetime.datetime(2009, 3, 3)))
    make_post(title="April post", published_at=timezone.make_aware(datetime.datetime(2009, 4, 1)))
    year = client.get(reverse("blog:year", args=["2009"])).content.decode()
    assert "March 2009" in year and "April 2009" in year
    month = client.get(reverse("blog:month", args=["2009", "03"])).content.decode()
    assert "March post" in month and "April post" not in month
    assert client.get(reverse("blog:year", args=["2010"])).status_code == 404
    assert client.get(reverse("blog:month", args=["2009", "13"])).status_code == 404


@pytest.mark.parametrize("pk", [0, 999_999, 2**63, 10**20])
def test_a_quotation_address_naming_no_quotation_is_a_404(client, db, pk):
    assert client.get(f"/quotes/{pk}/").status_code == 404


def test_a_wrong_date_in_a_post_address_is_a_404(client, make_post):
    post = make_post()
    url = post.get_absolute_url().replace(f"/{post.slug}/", "/no-such-post/")
    assert client.get(url).status_code == 404
    assert client.get("/2009/02/30/anything/").status_code == 404


def test_the_quotation_page_shows_words_attribution_source_and_citing_posts(
    client, make_post, quotation
):
    public = make_post(f"[[quote:{quotation.pk}]]", title="Citing post")
    make_post(f"[[quote:{quotation.pk}]]", title="Draft citing", status=Post.Status.DRAFT)
    html = client.get(quotation.get_absolute_url()).content.decode()
    assert "No one links these issues to any exchange." in html
    assert "Dmitri A. Medvedev" in html and "President of Russia" in html
    assert "at a news conference in Madrid" in html
    assert "Obama Offered Deal to Russia in Secret Letter" in html
    assert f'href="{public.get_absolute_url()}"' in html
    assert "Draft citing" not in html


def test_the_speaker_page_lists_quotations_and_citing_posts(client, make_post, quotation):
    post = make_post(f"Inline [[q:{quotation.pk}]].", title="About Madrid")
    html = client.get(quotation.speaker.get_absolute_url()).content.decode()
    assert "<h1>Dmitri A. Medvedev</h1>" in html
    assert "No one links these issues to any exchange." in html
    assert f'href="{post.get_absolute_url()}"' in html


def test_the_source_page_lists_quotations_and_citing_posts(client, make_post, quotation):
    post = make_post(f"[[quote:{quotation.pk}]]", title="About the letter")
    html = client.get(quotation.source.get_absolute_url()).content.decode()
    assert "<h1>Obama Offered Deal to Russia in Secret Letter</h1>" in html
    assert "Peter Baker" in html and "The New York Times" in html
    assert "No one links these issues" in html
    assert f'href="{post.get_absolute_url()}"' in html


def test_speaker_page_queries_do_not_grow_with_quotations(
    client, make_quotation, speaker, uncached
):
    make_quotation(speaker=speaker)
    few = queries_for(client, speaker.get_absolute_url())
    for i in range(15):
        make_quotation(f"More words {i}", speaker=speaker)
    assert queries_for(client, speaker.get_absolute_url()) == few


def test_speaker_and_source_indexes(client, quotation):
    assert "Dmitri A. Medvedev" in client.get(reverse("quotes:speakers")).content.decode()
    sources = client.get(reverse("quotes:sources")).content.decode()
    assert "Obama Offered Deal to Russia in Secret Letter" in sources


def test_the_404_page_is_friendly(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Go to the latest posts" in html


def test_the_500_page_needs_nothing_that_could_fail(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_post_page_uses_semantic_quotation_markup(client, make_post, quotation):
    post = make_post(f"[[quote:{quotation.pk}]]\n\nHe said [[q:{quotation.pk}]].")
    html = client.get(post.get_absolute_url()).content.decode()
    for fragment in ["<figure class=\"quotation\"", "<blockquote cite=", "<figcaption>",
                     "<cite>", "<q class=\"quotation-inline\"", '<main id="content"',
                     'class="skip-link"']:  # fmt: skip
        assert fragment in html
