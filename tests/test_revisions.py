"""Revisions and edit conflicts (revisions/): nothing an editor saved is ever lost."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.models import Post, Update
from blog.rendering import render_post
from quotes.models import Quotation

from .forms import form_data

T0 = datetime.datetime(2026, 3, 3, 9, 0, tzinfo=datetime.UTC)


def staff_client(name):
    user = get_user_model().objects.create_superuser(name, f"{name}@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


def opened(client, url, form_id):
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id)


@pytest.fixture
def alice(db):
    return staff_client("alice")


@pytest.fixture
def bob(db):
    return staff_client("bob")


def test_the_second_of_two_conflicting_saves_is_refused_with_both_versions_and_its_text_kept(
    alice, bob, make_post
):
    post = make_post("The original body.", title="Original title")
    url = reverse("admin:blog_post_change", args=[post.pk])
    alices, bobs = opened(alice, url, "post_form"), opened(bob, url, "post_form")

    alices["title"] = "Alice's title"
    assert alice.post(url, alices).status_code == 302

    bobs["body"] = "Bob rewrote the body completely."
    response = bob.post(url, bobs)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in html
    assert "alice saved it at" in html
    # Their version and his, side by side: the title alice changed; his title is the old one.
    assert '<td class="theirs">Alice&#x27;s title</td>' in html
    assert '<td class="yours">Original title</td>' in html
    # Nothing of Bob's was saved, and everything he typed is still in the form.
    assert Post.objects.get(pk=post.pk).title == "Alice's title"
    assert Post.objects.get(pk=post.pk).body == "The original body."
    refused = form_data(html, "post_form")
    assert refused["body"] == "Bob rewrote the body completely."

    # He merges (keeps alice's title) and saves again: based on what is stored now, it goes.
    refused["title"] = "Alice's title"
    assert bob.post(url, refused).status_code == 302
    saved = Post.objects.get(pk=post.pk)
    assert (saved.title, saved.body) == ("Alice's title", "Bob rewrote the body completely.")
    editors = [r.history_user.username for r in saved.history.order_by("history_id")[1:]]
    assert editors == ["alice", "bob"]


def test_a_save_after_a_refresh_is_not_a_conflict(alice, bob, make_post):
    post = make_post("The original body.")
    url = reverse("admin:blog_post_change", args=[post.pk])
    alices = opened(alice, url, "post_form")
    alices["body"] = "Alice's body."
    assert alice.post(url, alices).status_code == 302
    bobs = opened(bob, url, "post_form")  # opened after alice saved
    bobs["excerpt"] = "Bob's excerpt."
    assert bob.post(url, bobs).status_code == 302
    saved = Post.objects.get(pk=post.pk)
    assert (saved.body, saved.excerpt) == ("Alice's body.", "Bob's excerpt.")


def test_a_quotation_save_based_on_an_older_version_is_refused(alice, bob, quotation):
    url = reverse("admin:quotes_quotation_change", args=[quotation.pk])
    alices, bobs = opened(alice, url, "quotation_form"), opened(bob, url, "quotation_form")
    alices["context"] = "at a summit in Lisbon"
    assert alice.post(url, alices).status_code == 302
    bobs["text"] = "Words Bob corrected."
    response = bob.post(url, bobs)
    html = response.content.decode()
    assert response.status_code == 200 and "alice saved it at" in html
    assert '<td class="theirs">at a summit in Lisbon</td>' in html
    assert form_data(html, "quotation_form")["text"] == "Words Bob corrected."
    assert Quotation.objects.get(pk=quotation.pk).text == quotation.text


def test_the_version_url_tells_an_open_form_that_someone_saved(alice, bob, make_post):
    post = make_post()
    url = reverse("admin:blog_post_change", args=[post.pk])
    version_url = reverse("admin:blog_post_version", args=[post.pk])
    bobs = opened(bob, url, "post_form")
    assert bob.get(version_url).json()["version"] == bobs["based_on"]
    alices = opened(alice, url, "post_form")
    alices["body"] = "Changed."
    alice.post(url, alices)
    stored = bob.get(version_url).json()
    assert stored["version"] != bobs["based_on"] and stored["by"] == "alice"
    assert 'id="saved-meanwhile"' in bob.get(url).content.decode()
    assert Client().get(version_url).status_code == 302  # staff only


def update_history(update):
    return reverse("admin:blog_post_update_history", args=[update.post_id, update.pk])


def test_an_edited_update_keeps_its_wordings_diffs_and_restores_the_first(
    alice, make_post, uncached, committed
):
    with time_machine.travel(T0, tick=False):
        post = make_post(published_at=T0 - datetime.timedelta(days=1))
        Update.objects.create(post=post, body="The first wording.", timestamp=T0)
    url = reverse("admin:blog_post_change", args=[post.pk])
    for day, wording in [(4, "The second wording."), (5, "The third, final wording.")]:
        with time_machine.travel(T0.replace(day=day), tick=False), committed():
            data = opened(alice, url, "post_form")
            data["updates-0-body"] = wording
            assert alice.post(url, data).status_code == 302
    update = Update.objects.get(post=post)
    first, second, third = update.history.order_by("history_id")
    assert [r.body for r in (first, second, third)] == [
        "The first wording.", "The second wording.", "The third, final wording.",
    ]  # fmt: skip
    assert third.history_user.username == "alice"

    # Staff see the earlier wordings, and what changed between any two.
    html = alice.get(update_history(update), {"old": first.history_id, "new": third.history_id})
    html = html.content.decode()
    assert "<del>first</del>" in html and "<ins>third, final</ins>" in html
    assert "The first wording." in html and "The third, final wording." in html

    with time_machine.travel(T0.replace(day=6, hour=14), tick=False), committed():
        response = alice.post(update_history(update), {"restore": first.history_id})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.body == "The first wording."
    assert update.history.count() == 4  # the restore is a revision of its own
    page = Client().get(post.get_absolute_url()).content.decode()
    assert "The first wording." in page and "final wording" not in page
    changed = timezone.localtime(T0.replace(day=6, hour=14))
    assert f'changed <time datetime="{changed.isoformat()}">' in page
    assert "March 6, 2026" in page


def test_a_post_history_lists_who_saved_and_restores_a_revision(alice, make_post, committed):
    post = make_post("Body one.")
    url = reverse("admin:blog_post_change", args=[post.pk])
    data = opened(alice, url, "post_form")
    data["body"] = "Body two."
    alice.post(url, data)
    history = reverse("admin:blog_post_history", args=[post.pk])
    html = alice.get(history).content.decode()
    assert "by alice" in html and "<del>one</del><ins>two</ins>" in html
    original = post.history.order_by("history_id").first()
    with committed():
        alice.post(history, {"restore": original.history_id})
    restored = Post.objects.get(pk=post.pk)
    assert restored.body == "Body one."
    assert "Body one." in restored.body_html  # rendered again through freshness/


def test_rendering_again_makes_no_revision(make_post):
    post = make_post("Body.")
    before = post.history.count()
    Post.objects.filter(pk=post.pk).update(rendered_with=0)
    render_post(post.pk)
    assert post.history.count() == before


def test_an_update_changed_by_the_other_editor_is_shown_in_the_conflict(alice, bob, make_post):
    post = make_post(updates=[{"body": "The update as written."}])
    url = reverse("admin:blog_post_change", args=[post.pk])
    alices, bobs = opened(alice, url, "post_form"), opened(bob, url, "post_form")
    alices["updates-0-body"] = "The update as Alice corrected it."
    assert alice.post(url, alices).status_code == 302
    bobs["title"] = "Bob's title"
    html = bob.post(url, bobs).content.decode()
    assert '<td class="theirs">The update as Alice corrected it.</td>' in html
    assert '<td class="yours">The update as written.</td>' in html
    refused = form_data(html, "post_form")
    refused["updates-0-body"] = "The update as Alice corrected it."  # he merges hers in
    assert bob.post(url, refused).status_code == 302
    assert Update.objects.get(post=post).body == "The update as Alice corrected it."
    assert Post.objects.get(pk=post.pk).title == "Bob's title"


def test_who_may_only_view_sees_the_revisions_but_cannot_restore(client, speaker):
    viewer = get_user_model().objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_speaker"))
    client.force_login(viewer)
    speaker.description = "Prime Minister of Russia"
    speaker.save()
    history = reverse("admin:quotes_speaker_history", args=[speaker.pk])
    html = client.get(history).content.decode()
    assert "<ins>Prime" in html and "Restore this revision" not in html
    first = speaker.history.order_by("history_id").first()
    assert client.post(history, {"restore": first.history_id}).status_code == 403
    speaker.refresh_from_db()
    assert speaker.description == "Prime Minister of Russia"
