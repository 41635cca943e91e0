"""The comment flow in a real browser: a reader comments, a moderator approves, the reader
sees the comment.

Uses the fixtures in tests/browser/conftest.py (`new_page` for the reader's and the
moderator's separate browser contexts, `live_server`, `demo`).
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

WORDS = "The letter was an opening bid, not a deal."


@pytest.fixture
def moderator(db):
    user = get_user_model().objects.create_user(
        "moddy", email="moddy@example.org", password="queue the comments", is_staff=True
    )
    # The live server's database is flushed between tests, taking the migration's groups.
    group, _ = Group.objects.get_or_create(name="Moderators")
    codenames = ["view_comment", "change_comment", "moderate_comment"]
    group.permissions.set(Permission.objects.filter(codename__in=codenames))
    user.groups.add(group)
    return user


def write_comment(page, url, text):
    page.goto(url)
    page.get_by_label("Name").fill("Ada Reader")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Website (optional)").fill("ada.example.com")  # no scheme: https assumed
    page.get_by_label("Comment", exact=False).last.fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Send comment").click()


@pytest.mark.parametrize("scripts", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_reader_comments_a_moderator_approves_and_the_reader_sees_it(
    new_page, demo, moderator, scripts
):
    """Reader posts the form on the reference post; moderator approves in the admin queue."""
    reader = new_page(java_script_enabled=scripts)
    write_comment(reader, demo.get_absolute_url(), WORDS)
    mine = reader.locator(".comment-pending")
    expect(mine).to_contain_text("Your comment is awaiting moderation")
    expect(mine).to_contain_text(WORDS)

    stranger = new_page()
    stranger.goto(demo.get_absolute_url())
    expect(stranger.locator("#comments")).not_to_contain_text(WORDS)

    admin = new_page()
    admin.goto("/admin/login/?next=/admin/")
    admin.get_by_label("Username").fill("moddy")
    admin.get_by_label("Password").fill("queue the comments")
    admin.get_by_role("button", name="Log in").click()
    expect(admin.locator("#comments-pending")).to_contain_text("1 comment awaiting moderation")
    admin.locator("#comments-pending a").click()
    row = admin.locator("#result_list tr", has_text=WORDS)
    with admin.expect_navigation():
        row.get_by_role("button", name="Approve").click()
    expect(admin.locator(".messagelist")).to_contain_text("The comment by Ada Reader was approved")

    for page in (reader, stranger):
        page.goto(demo.get_absolute_url())
        public = page.locator(".comment-list .comment", has_text=WORDS)
        expect(public).to_have_count(1)
        expect(public.locator(".comment-author a")).to_have_attribute(
            "href", "https://ada.example.com"
        )
        expect(page.locator(".comment-pending")).to_have_count(0)
