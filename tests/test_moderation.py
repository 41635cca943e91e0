"""Moderators work the queue in the admin; the rules screen comments; moderators get mail."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import Comment, Post
from tests.plans import plan
from tests.test_comments import send

CHANGELIST = reverse("admin:blog_comment_changelist")
QUEUE = CHANGELIST + "?status__exact=pending"


def staff(username, *groups, email=""):
    user = get_user_model().objects.create_user(
        username, email=email or f"{username}@example.org", is_staff=True
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def moderator(db):
    return staff("mod", "Moderators")


@pytest.fixture
def group_editor(db):
    return staff("writer2", "Editors")


@pytest.fixture
def post(make_post):
    return make_post("The body.", title="Talks in Madrid")


@pytest.fixture
def queue(post, make_comment):
    """Two pending (the older second in creation order), one approved, one spam."""
    now = timezone.now()
    return {
        "newer": make_comment(post, "Newer *pending*.", name="Newer",
                              submitted_at=now - datetime.timedelta(hours=1)),
        "older": make_comment(post, "Older pending, see https://example.org", name="Older",
                              submitted_at=now - datetime.timedelta(hours=5)),
        "approved": make_comment(post, "Approved.", name="Fine", status="approved",
                                 submitted_at=now - datetime.timedelta(hours=9)),
        "spam": make_comment(post, "Cheap pills.", name="Spammer", status="spam",
                             submitted_at=now - datetime.timedelta(hours=2)),
    }  # fmt: skip


def rows(html):
    """The commenters' names in the changelist, in order."""
    return re.findall(r'<td class="field-commenter">([^<]+)<br>', html)


def test_the_migration_creates_the_two_roles(db):
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    moderators = Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    assert set(moderators) == {"view_comment", "change_comment", "moderate_comment"}
    for model in ("post", "update", "tag", "quotation", "speaker", "source"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}", f"view_{model}"} <= editors
    assert not {code for code in editors if code.endswith("_comment")}


def test_the_queue_comes_first_oldest_first_rendered_with_its_post_linked(
    client, moderator, queue, post
):
    client.force_login(moderator)
    html = client.get(CHANGELIST).content.decode()
    assert rows(html) == ["Older", "Newer", "Spammer", "Fine"]
    assert '<a href="https://example.org" rel="nofollow ugc noopener">' in html
    assert "<p>Newer *pending*.</p>" in html  # as the page will show it: plain text
    assert f'<a href="{post.get_absolute_url()}#comments">Talks in Madrid</a>' in html
    assert rows(client.get(QUEUE).content.decode()) == ["Older", "Newer"]


def test_filters_by_status_and_by_post(client, moderator, queue, make_post, make_comment):
    other = make_comment(make_post(title="Elsewhere"), "Other post.", name="Elsewhere")
    client.force_login(moderator)
    spam = client.get(CHANGELIST, {"status__exact": "spam"}).content.decode()
    assert rows(spam) == ["Spammer"]
    by_post = client.get(CHANGELIST, {"post__id__exact": other.post_id}).content.decode()
    assert rows(by_post) == ["Elsewhere"]


@pytest.mark.parametrize("action, status", [("approve", "approved"), ("reject", "rejected"),
                                            ("mark_spam", "spam")])  # fmt: skip
def test_a_moderator_acts_on_many_comments_at_once(client, moderator, queue, post, action, status):
    client.force_login(moderator)
    chosen = [queue["older"].pk, queue["newer"].pk]
    response = client.post(CHANGELIST, {"action": action, "_selected_action": chosen}, follow=True)
    assert response.status_code == 200
    assert "2 comments were" in response.content.decode()
    for comment in Comment.objects.filter(pk__in=chosen):
        assert comment.status == status
        assert comment.moderated_by == moderator and comment.moderated_at is not None
    page = client.get(post.get_absolute_url()).content.decode()
    assert ("Older pending" in page) == (status == "approved")
    assert Post.objects.get(pk=post.pk).comment_count == (3 if status == "approved" else 1)


def test_a_moderator_approves_or_rejects_from_the_list_without_opening_it(
    client, moderator, queue, post
):
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    url = reverse("admin:blog_comment_moderate", args=[queue["older"].pk])
    assert f'formaction="{url}" formmethod="post" name="status" value="approved">Approve' in html
    assert 'value="rejected">Reject</button>' in html and 'value="spam">Spam</button>' in html

    response = client.post(url, {"status": "approved"}, HTTP_REFERER=f"http://testserver{QUEUE}")
    assert response.status_code == 302 and response["Location"] == f"http://testserver{QUEUE}"
    assert "Older pending" in client.get(post.get_absolute_url()).content.decode()
    client.post(url, {"status": "rejected"})
    older = Comment.objects.get(pk=queue["older"].pk)
    assert (older.status, older.moderated_by) == ("rejected", moderator)
    assert "Older pending" not in client.get(post.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 405  # a link cannot moderate
    assert client.post(url, {"status": "deleted"}).status_code == 400


def test_changing_the_status_in_the_form_records_the_moderator(client, moderator, queue, post):
    client.force_login(moderator)
    comment = queue["newer"]
    change = reverse("admin:blog_comment_change", args=[comment.pk])
    form = client.get(change).content.decode()
    assert "<p>Newer *pending*.</p>" in form
    data = {"status": "approved", "name": comment.name, "email": comment.email, "url": "",
            "text": comment.text}  # fmt: skip
    assert client.post(change, data).status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == ("approved", moderator)
    assert "Newer *pending*." in client.get(post.get_absolute_url()).content.decode()


def test_a_moderator_cannot_edit_posts(client, moderator, post):
    client.force_login(moderator)
    assert client.get(reverse("admin:blog_post_changelist")).status_code == 403
    change = reverse("admin:blog_post_change", args=[post.pk])
    assert client.get(change).status_code == 403
    assert client.post(change, {"title": "Hijacked", "body": "x"}).status_code == 403
    assert client.get(reverse("admin:blog_post_add")).status_code == 403
    assert Post.objects.get(pk=post.pk).title == "Talks in Madrid"


def test_an_editor_cannot_moderate_unless_also_a_moderator(client, group_editor, queue):
    client.force_login(group_editor)
    assert client.get(reverse("admin:blog_post_changelist")).status_code == 200
    assert client.get(CHANGELIST).status_code == 403
    moderate = reverse("admin:blog_comment_moderate", args=[queue["older"].pk])
    assert client.post(moderate, {"status": "approved"}).status_code == 403
    actions = {"action": "approve", "_selected_action": [queue["older"].pk]}
    assert client.post(CHANGELIST, actions).status_code == 403
    assert Comment.objects.get(pk=queue["older"].pk).status == "pending"

    group_editor.groups.add(Group.objects.get(name="Moderators"))
    assert client.get(CHANGELIST).status_code == 200
    assert client.post(moderate, {"status": "approved"}).status_code == 302
    assert Comment.objects.get(pk=queue["older"].pk).status == "approved"


def test_viewing_comments_without_the_moderate_permission_offers_no_actions(client, queue):
    watcher = staff("watcher")
    watcher.user_permissions.add(
        *Group.objects.get(name="Moderators").permissions.exclude(codename="moderate_comment")
    )
    client.force_login(watcher)
    html = client.get(CHANGELIST).content.decode()
    assert 'name="status" value="approved"' not in html and 'value="approve"' not in html
    moderate = reverse("admin:blog_comment_moderate", args=[queue["older"].pk])
    assert client.post(moderate, {"status": "approved"}).status_code == 403


def test_the_admin_index_shows_the_pending_count(client, moderator, group_editor, queue):
    client.force_login(moderator)
    html = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{QUEUE}"><strong>2 comments awaiting moderation</strong></a>' in html
    client.force_login(group_editor)
    assert "awaiting moderation" not in client.get(reverse("admin:index")).content.decode()


def test_the_changelist_queries_do_not_grow_with_comments(client, moderator, post, make_comment):
    client.force_login(moderator)
    make_comment(post)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CHANGELIST).status_code == 200
        return len(captured)

    few = queries()
    for i in range(30):
        make_comment(post, f"Comment {i}", status="approved" if i % 2 else "pending")
    assert queries() == few


# The rules a new comment passes through (blog/comments/moderation.py).


def test_more_links_than_allowed_hold_even_a_known_commenter(client, post, make_comment, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    settings.COMMENTS_MAX_LINKS = 2
    make_comment(post, "Earlier.", email="ada@example.org", status="approved")
    links = "See https://a.com/x, http://b.org and www.c.net"
    send(client, post, text=links)
    held = Comment.objects.get(text=links)
    assert held.status == "pending" and held.note == "Held: 3 links (more than 2)."
    send(client, post, text="Only https://a.com/x and b.org")
    assert Comment.objects.latest("pk").status == "approved"


def test_a_known_commenter_is_approved_at_once_only_when_the_setting_is_on(
    client, post, make_comment, settings
):
    make_comment(post, "Earlier.", email="Ada@Example.org", status="approved")
    send(client, post, text="Off: waits.")
    assert Comment.objects.get(text="Off: waits.").status == "pending"
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    response = send(client, post, text="On: published.")
    assert Comment.objects.get(text="On: published.").status == "approved"
    assert "On: published." in client.get(post.get_absolute_url()).content.decode()
    assert "your comment is published" in client.get(response["Location"]).content.decode()
    send(client, post, text="A stranger.", email="stranger@example.org")
    assert Comment.objects.get(text="A stranger.").status == "pending"


@pytest.mark.parametrize(
    "setting, value, fields, reason",
    [
        ("COMMENTS_BLOCKED_WORDS", ["casino"], {"text": "Best CASINO bonus"}, "blocked word"),
        ("COMMENTS_BLOCKED_WORDS", ["casino"], {"url": "https://casino.example"}, "blocked word"),
        ("COMMENTS_BLOCKED_IPS", ["127.0.0.0/8"], {}, "blocked IP address 127.0.0.1"),
        ("COMMENTS_BLOCKED_IPS", ["127.0.0.1"], {}, "blocked IP address"),
        ("COMMENTS_BLOCKED_EMAILS", ["ada@example.org"], {}, "blocked email"),
        ("COMMENTS_BLOCKED_EMAILS", ["@example.org"], {"email": "x@EXAMPLE.org"}, "blocked email"),
    ],
)
def test_block_lists_send_a_comment_to_spam_silently(
    client, post, settings, setting, value, fields, reason, moderator
):
    setattr(settings, setting, value)
    response = send(client, post, **fields)
    comment = Comment.objects.get()
    assert comment.status == "spam" and reason in comment.note
    # The sender sees what anyone would; nobody else sees it; nobody is mailed.
    assert (
        "Your comment is awaiting moderation" in client.get(response["Location"]).content.decode()
    )
    assert comment.text not in client.get(post.get_absolute_url()).content.decode()
    assert not mail.outbox


def test_an_address_outside_the_blocked_network_passes(client, post, settings):
    settings.COMMENTS_BLOCKED_IPS = ["10.0.0.0/8", "2001:db8::/32"]
    send(client, post)
    assert Comment.objects.get().status == "pending"


# Mail to moderators.


def test_moderators_are_mailed_after_the_commit_when_a_comment_waits(
    client, post, moderator, group_editor, django_capture_on_commit_callbacks
):
    away = staff("away", "Moderators")
    away.is_active = False
    away.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(client, post, name="Ada", text="Is the letter public?")
    assert len(callbacks) == 1 and not mail.outbox  # nothing before the commit
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["mod@example.org"]]
    message = mail.outbox[0]
    assert "Talks in Madrid" in message.subject
    assert "Ada <ada@example.org> wrote:" in message.body
    assert "Is the letter public?" in message.body
    assert f"1 comment in the queue: http://testserver{QUEUE}" in message.body


def test_a_moderator_gets_at_most_one_mail_per_interval(
    client, post, moderator, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_EVERY_MINUTES = 15
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            send(client, post, text=f"Comment {i}")
    assert len(mail.outbox) == 1
    # Another moderator, never mailed yet, gets the next one; the first still does not.
    staff("mod2", "Moderators")
    with django_capture_on_commit_callbacks(execute=True):
        send(client, post, text="Comment 4")
    assert [m.to for m in mail.outbox] == [["mod@example.org"], ["mod2@example.org"]]
    assert "4 comments in the queue" in mail.outbox[1].body


def test_no_mail_for_spam_or_approved_comments(
    client, post, moderator, make_comment, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_BLOCKED_WORDS = ["casino"]
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    make_comment(post, "Earlier.", email="known@example.org", status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        send(client, post, text="casino")
        send(client, post, text="Hello again.", email="known@example.org")
    assert not mail.outbox


def test_mail_goes_out_through_the_configured_backend(settings):
    """Console by default (development prints it); SMTP when EMAIL_* say so."""
    from config import settings as project

    assert project.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_a_status_list_is_read_in_its_index_order_not_sorted_whole(
    client, moderator, queue, make_comment, post
):
    """One status's list orders by the (status, submitted_at) index: no CASE to sort every
    row of that status (a million approved comments) for a page of 50."""
    client.force_login(moderator)
    for status, expected in [("pending", ["Older", "Newer"]), ("approved", ["Fine"])]:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(CHANGELIST, {"status__exact": status}).content.decode()
        assert rows(html) == expected
        listing = next(q["sql"] for q in captured if 'FROM "blog_comment"' in q["sql"]
                       and "ORDER BY" in q["sql"])  # fmt: skip
        assert "CASE" not in listing.upper()
    newest = make_comment(post, "Later.", name="Later", status="approved")
    assert rows(client.get(CHANGELIST, {"status__exact": "approved"}).content.decode()) == [
        newest.name,
        "Fine",
    ]


def test_the_whole_list_reads_the_queue_first_index_rather_than_sorting_every_comment(
    client, moderator, queue
):
    """The unfiltered list (queue first, then newest) orders by expressions that an index
    holds (Comment.QUEUE_FIRST): a page of a million comments is read, not sorted whole."""
    client.force_login(moderator)
    with CaptureQueriesContext(connection) as captured:
        assert rows(client.get(CHANGELIST).content.decode()) == [
            "Older",
            "Newer",
            "Spammer",
            "Fine",
        ]
    listing = next(q["sql"] for q in captured if 'FROM "blog_comment"' in q["sql"]
                   and "ORDER BY" in q["sql"])  # fmt: skip
    found = plan(listing)
    assert "comment_queue_first" in found, found
    assert "Sort" not in found and "TEMP B-TREE FOR ORDER BY" not in found, found
