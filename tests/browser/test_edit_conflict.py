"""Two editors have the same post open: the later save is refused, shows both versions and
keeps what was typed; the editor merges and saves. The open form warns when someone saves."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from blog.models import Post


def log_in(page, username, url):
    page.goto(f"/admin/login/?next={url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()


def test_the_second_editor_is_shown_both_versions_merges_and_saves(new_page, make_post, output_dir):
    for name in ("alice", "bob"):
        get_user_model().objects.create_superuser(name, f"{name}@example.com", "pw")
    post = make_post("The original body.", title="Original title")
    url = f"/admin/blog/post/{post.pk}/change/"
    alice, bob = new_page(), new_page()
    log_in(alice, "alice", url)
    log_in(bob, "bob", url)

    alice.get_by_label("Title").fill("Alice's title")
    alice.locator("input[name=_continue]").click()
    expect(alice.locator(".messagelist")).to_contain_text("was changed successfully")

    # Bob's open form learns of it (the poll, asked now rather than in 20 seconds).
    bob.evaluate("window.savedMeanwhileCheck()")
    expect(bob.locator("#saved-meanwhile")).to_contain_text("alice saved this at")

    bob.locator("#id_body").fill("Bob's new body.")
    bob.locator("input[name=_continue]").click()
    conflict = bob.locator(".edit-conflict")
    expect(conflict).to_contain_text("alice saved it at")
    expect(conflict.locator("td.theirs")).to_have_text("Alice's title")
    expect(conflict.locator("td.yours")).to_have_text("Original title")
    expect(bob.locator("#id_body")).to_have_value("Bob's new body.")
    bob.screenshot(path=output_dir / "screenshots" / "edit-conflict.png", full_page=True)
    assert Post.objects.get(pk=post.pk).body == "The original body."

    bob.get_by_label("Title").fill("Alice's title")  # he takes her title, keeps his body
    bob.locator("input[name=_continue]").click()
    expect(bob.locator(".messagelist")).to_contain_text("was changed successfully")
    saved = Post.objects.get(pk=post.pk)
    assert (saved.title, saved.body) == ("Alice's title", "Bob's new body.")
