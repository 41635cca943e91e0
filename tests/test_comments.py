"""Readers comment: the form and its checks, what each reader sees, a page everyone shares."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.comments import moderation
from blog.comments.forms import blank_form_html
from blog.models import Comment, Post
from blog.rendering import render_post
from quotes.markup import render_comment
from tests.test_rendering import assert_safe

DATA = Path(__file__).parent / "data"
# What Chromium and Firefox send with a form POST from one of the site's own pages.
BROWSER = {
    "HTTP_ORIGIN": "http://testserver",
    "HTTP_SEC_FETCH_SITE": "same-origin",
    "HTTP_SEC_FETCH_MODE": "navigate",
    "HTTP_SEC_FETCH_DEST": "document",
    "HTTP_REFERER": "http://testserver/2009/03/03/a-post/",
    "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36",
}


def typed(**fields):
    data = {"name": "Ada", "email": "ada@example.org", "url": "", "text": "Well put.",
            "subject": ""}  # fmt: skip
    data.update(fields)
    return data


def send(client, post, headers=BROWSER, **fields):
    return client.post(reverse("blog:comment", args=[post.pk]), typed(**fields), **headers)


def comment_list(html):
    """The list of comments on a page (readers' text only: no form, no post)."""
    start = html.index('<ol class="comment-list">')
    return html[start : html.index("</ol>", start)]


@pytest.fixture
def post(make_post):
    return make_post("The body.", title="Talks in Madrid")


def test_the_public_post_page_is_one_shared_document(client, post):
    """No token, no cookie, no Vary: Cookie: one cached copy can serve every reader."""
    response = client.get(post.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="comment-form" method="post"' in html
    assert f'action="{reverse("blog:comment", args=[post.pk])}"' in html
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies and "Set-Cookie" not in response
    assert "Cookie" not in response.get("Vary", "")
    assert "private" not in response.get("Cache-Control", "")


def test_a_comment_posted_from_the_form_is_pending_and_shown_only_to_its_writer(client, post):
    response = send(client, post, text="Medvedev said *no* deal.\n\nSee https://example.org")
    comment = Comment.objects.get()
    posted = reverse("blog:comment_posted", args=[post.pk])
    assert response.status_code == 303
    assert response["Location"] == f"{posted}#comment-{comment.pk}"
    assert "no-cache" in response["Cache-Control"]
    assert comment.status == Comment.Status.PENDING
    assert (comment.ip_address, comment.user_agent) == ("127.0.0.1", BROWSER["HTTP_USER_AGENT"])

    mine = client.get(posted)
    html = mine.content.decode()
    assert mine.status_code == 200
    assert "Your comment is awaiting moderation" in html
    assert f'<li class="comment comment-pending" id="comment-{comment.pk}">' in html
    assert "Medvedev said *no* deal." in html
    assert "private" in mine["Cache-Control"] and "no-cache" in mine["Cache-Control"]

    # Reader A's own next visit to the shared page, and reader B's: no pending comment.
    assert "Medvedev said" not in client.get(post.get_absolute_url()).content.decode()
    other = Client()
    assert "Medvedev said" not in other.get(post.get_absolute_url()).content.decode()
    assert "Medvedev said" not in other.get(posted).content.decode()
    post.refresh_from_db()
    assert post.comment_count == 0


def test_the_form_works_without_javascript_in_an_older_browser(client, post):
    """A plain form POST; a browser without Origin or Sec-Fetch-* still sends a Referer."""
    old_browser = {"HTTP_REFERER": f"http://testserver{post.get_absolute_url()}"}
    assert send(client, post, headers=old_browser).status_code == 303
    assert Comment.objects.count() == 1


def test_the_post_page_needs_no_script_to_comment(client, post):
    """Nothing to fetch first: the form in the shared page is all a reader needs."""
    html = client.get(post.get_absolute_url()).content.decode()
    form = html[html.index('<form class="comment-form"') : html.index("</form>")]
    for name in ("name", "email", "url", "text"):
        assert f'name="{name}"' in form
    assert '<button type="submit">Send comment</button>' in form
    assert "<script" not in form


def test_script_sent_posts_from_the_page_are_accepted(client, post):
    """fetch() from the page sends Origin and Sec-Fetch-Mode: cors; same rule, same answer."""
    script = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin",
              "HTTP_SEC_FETCH_MODE": "cors", "HTTP_SEC_FETCH_DEST": "empty"}  # fmt: skip
    assert send(client, post, headers=script).status_code == 303


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
        {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_REFERER": "https://evil.example/page"},
        {},
    ],
    ids=["other-site", "lookalike-host", "null-origin", "sibling-subdomain", "referer", "none"],
)
def test_posts_not_sent_from_this_site_are_refused(client, post, headers):
    response = send(client, post, headers=headers)
    assert response.status_code == 403
    assert (
        "Comments can only be sent from the comment form on this site" in response.content.decode()
    )
    assert not Comment.objects.exists()


def test_a_filled_honeypot_gets_the_normal_answer_and_nothing_is_kept(client, post):
    response = send(client, post, subject="Buy cheap watches", text="spam")
    assert response.status_code == 303
    assert response["Location"].startswith(reverse("blog:comment_posted", args=[post.pk]))
    assert not Comment.objects.exists() and not mail.outbox
    assert (
        "Your comment is awaiting moderation" in client.get(response["Location"]).content.decode()
    )


def test_more_attempts_than_the_rate_limit_get_a_429(client, post, settings):
    settings.COMMENTS_RATE_LIMIT = "2/600"
    assert send(client, post).status_code == 303
    assert send(client, post, email="bad").status_code == 400  # an attempt all the same
    response = send(client, post)
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "You have sent more than 2 comments in 10 minutes." in response.content.decode()
    assert Comment.objects.count() == 1
    elsewhere = {**BROWSER, "REMOTE_ADDR": "192.0.2.7"}
    assert send(client, post, headers=elsewhere).status_code == 303


def test_behind_a_proxy_the_limit_counts_the_forwarded_address(client, post, settings):
    settings.COMMENTS_RATE_LIMIT = "1/600"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's socket address
    # The leftmost entry is whatever the client claimed; the proxy appended the real one.
    for claimed in ("1.1.1.1", "2.2.2.2"):
        headers = {**BROWSER, "HTTP_X_FORWARDED_FOR": f"{claimed}, 198.51.100.4"}
        statuses = send(client, post, headers=headers).status_code
    assert statuses == 429
    assert Comment.objects.get().ip_address == "198.51.100.4"
    other = {**BROWSER, "HTTP_X_FORWARDED_FOR": "198.51.100.5"}
    assert send(client, post, headers=other).status_code == 303


def test_ipv6_readers_are_limited_by_their_64_network():
    assert not moderation.over_rate_limit("2001:db8::1")
    for host in range(2, 6):
        moderation.over_rate_limit(f"2001:db8::{host}")
    assert moderation.over_rate_limit("2001:db8::ffff")
    assert not moderation.over_rate_limit("2001:db8:1::1")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "N" * 101, "Ensure this value has at most 100 characters (it has 101)."),
        ("name", "", "Please give a name (any name you like)."),
        ("email", "ada@", "Enter an email address like name@example.com."),
        ("email", "e" * 250 + "@x.org", "Ensure this value has at most 254 characters"),
        ("url", "javascript:alert(document.cookie)", "Enter a web address starting with http:// or https://."),
        ("url", "data:text/html,<script>alert(1)</script>", "Enter a web address starting"),
        ("url", "https://example.org/" + "a" * 200, "Ensure this value has at most 200 characters"),
        ("text", "T" * 5001, "Ensure this value has at most 5000 characters (it has 5001)."),
        ("text", "   ", "Please write your comment."),
    ],
)  # fmt: skip
def test_field_errors_come_back_per_field_with_everything_typed(
    client, post, field, value, message
):
    fields = {"name": "Grace <Hopper>", "text": "Line one.\nLine <two> & more.", field: value}
    response = send(client, post, **fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert "no-cache" in response["Cache-Control"]
    errors = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html)
    assert errors and errors.group(1).count("<li>") == 1  # one clear message, not two
    assert message in errors.group(1).replace("&lt;", "<").replace("&gt;", ">")
    assert 'aria-invalid="true"' in html
    for name, kept in typed(**fields).items():
        if name != "subject" and kept.strip():
            escaped = kept.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            assert escaped in html, name
    assert not Comment.objects.exists()


def test_a_closed_post_shows_no_form_and_refuses_comments(client, make_post):
    post = make_post(comments_open=False)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Comments are closed." in html and 'class="comment-form"' not in html
    response = send(client, post)
    assert response.status_code == 403
    assert "Comments are closed on this post, so yours was not saved." in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_close_the_set_number_of_days_after_publication(client, make_post, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    now = timezone.now()
    old = make_post(published_at=now - datetime.timedelta(days=31))
    recent = make_post(published_at=now - datetime.timedelta(days=29))
    assert "Comments are closed." in client.get(old.get_absolute_url()).content.decode()
    assert send(client, old).status_code == 403
    assert 'class="comment-form"' in client.get(recent.get_absolute_url()).content.decode()
    assert send(client, recent).status_code == 303


def test_comments_to_unpublished_posts_are_404(client, make_post):
    draft = make_post(status=Post.Status.DRAFT)
    assert send(client, draft).status_code == 404
    assert client.get(reverse("blog:comment_posted", args=[draft.pk])).status_code == 404
    assert client.get(reverse("blog:comment", args=[draft.pk])).status_code == 405


@pytest.fixture
def one_of_each(post, make_comment):
    statuses = ["pending", "approved", "rejected", "spam"]
    return {s: make_comment(post, f"Words that are {s}.", status=s) for s in statuses}


def test_only_approved_comments_are_public_in_page_counts_and_feeds(client, post, one_of_each):
    page = client.get(post.get_absolute_url()).content.decode()
    front = client.get(reverse("blog:index")).content.decode()
    feeds = [
        client.get(reverse(name)).content.decode() for name in ("blog:feed_atom", "blog:feed_rss")
    ]
    assert "Words that are approved." in page
    assert '<h2 id="comments-heading">1 comment</h2>' in page
    assert ">1 comment</a>" in front
    for hidden in ("pending", "rejected", "spam"):
        for html in (page, front, *feeds):
            assert f"Words that are {hidden}." not in html
    assert list(Comment.objects.approved()) == [one_of_each["approved"]]
    assert Post.objects.get().comment_count == 1


def test_approved_comments_show_oldest_first_with_nofollow_links_and_no_email(
    client, post, make_comment
):
    now = timezone.now()
    make_comment(post, "Second.", status="approved", submitted_at=now - datetime.timedelta(hours=1))
    make_comment(post, "First, see www.example.org", status="approved", name="Linus",
                 url="https://linus.example", email="secret@example.org",
                 submitted_at=now - datetime.timedelta(hours=2))  # fmt: skip
    html = comment_list(client.get(post.get_absolute_url()).content.decode())
    assert html.index("First,") < html.index("Second.")
    assert '<a href="http://www.example.org" rel="nofollow ugc noopener">' in html
    assert '<a href="https://linus.example" rel="nofollow ugc noopener">Linus</a>' in html
    assert "secret@example.org" not in html
    assert html.count('<li class="comment"') == 2


def test_approving_renders_once_and_reject_or_delete_takes_a_comment_off_the_page(
    client, post, make_comment, admin_user, committed
):
    comment = make_comment(post, "Soon public.")
    assert comment.text_html == render_comment("Soon public.")
    with committed():
        moderation.moderate(Comment.objects.filter(pk=comment.pk), "approved", admin_user)
    post.refresh_from_db()
    assert "Soon public." in post.comments_html and post.comment_count == 1
    assert "Soon public." in client.get(post.get_absolute_url()).content.decode()

    with committed():
        moderation.moderate(Comment.objects.filter(pk=comment.pk), "rejected", admin_user)
    assert "Soon public." not in client.get(post.get_absolute_url()).content.decode()

    with committed():
        moderation.moderate(Comment.objects.filter(pk=comment.pk), "approved", admin_user)
        Comment.objects.get(pk=comment.pk).delete()
    post.refresh_from_db()
    assert (post.comments_html, post.comment_count) == ("", 0)


def test_a_new_pending_comment_does_not_touch_the_post(post, make_comment):
    """Spam floods must not invalidate the cached page: only public changes save the post."""
    before = Post.objects.get().modified_at
    make_comment(post, "Pending.")
    make_comment(post, "Spam.", status="spam")
    assert Post.objects.get().modified_at == before


def test_post_page_queries_are_the_same_with_0_and_200_comments(client, post, make_post, settings):
    settings.PAGE_CACHE_ENABLED = False  # every request renders the page

    def queries(url):
        """An uncached render once warm."""
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200 and "X-Page-Cache" not in response
        return len(captured)

    without_comments = queries(post.get_absolute_url())
    busy = make_post("Another body.", title="Busy")
    Comment.objects.bulk_create(
        Comment(post=busy, name=f"Reader {i}", email=f"r{i}@example.org", text=f"Comment {i}",
                text_html=render_comment(f"Comment {i}"), status="approved")
        for i in range(200)
    )  # fmt: skip
    render_post(busy.pk, body=False)
    assert queries(busy.get_absolute_url()) == without_comments
    assert 0 < without_comments <= 3
    html = client.get(busy.get_absolute_url()).content.decode()
    assert "200 comments" in html and html.count('<li class="comment"') == 200


def test_the_blank_form_is_rendered_once_per_process(client, post, settings):
    settings.PAGE_CACHE_ENABLED = False  # every request renders the page
    blank_form_html.cache_clear()
    for _ in range(3):
        client.get(post.get_absolute_url())
    assert blank_form_html.cache_info().misses == 1
    assert blank_form_html.cache_info().hits == 2


def xss_vectors():
    lines = (DATA / "xss-payloads.txt").read_text(encoding="utf-8").split("\n")
    cases = json.loads((DATA / "xss-dompurify-expect.json").read_text(encoding="utf-8"))
    vectors = [line for line in lines if line.strip()] + [case["payload"] for case in cases]
    return [vector for vector in dict.fromkeys(vectors) if vector.strip()]


def test_every_xss_vector_posted_and_approved_renders_harmless(client, post, settings, admin_user):
    settings.COMMENTS_RATE_LIMIT = "100000/60"
    vectors = xss_vectors()
    assert len(vectors) > 600
    for vector in vectors:
        fields = {"text": vector[:5000], "name": vector[:100].strip() or "x"}
        response = send(client, post, **fields)
        assert response.status_code == 303, vector
    assert Comment.objects.count() == len(vectors)
    moderation.moderate(Comment.objects.all(), Comment.Status.APPROVED, admin_user)
    html = comment_list(client.get(post.get_absolute_url()).content.decode())
    assert html.count('<li class="comment"') == len(vectors)
    assert_safe(html)
    for tag in ("script", "iframe", "object", "svg", "style", "math", "embed", "img", "form"):
        assert f"<{tag}" not in html.lower()
