"""Editors write, quote and publish through the admin's own forms."""

import datetime
import json
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from quotes.models import Quotation, Source, Speaker

ADD_POST = reverse("admin:blog_post_add")


def post_form(editor, **overrides):
    """What the admin's add-post form submits, with `updates` as a list of dicts."""
    now = timezone.localtime()
    data = {
        "title": "Medvedev answers",
        "body": "Body.",
        "status": "published",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": (now - datetime.timedelta(minutes=5)).strftime("%H:%M:%S"),
        "slug": "",
        "author": editor.pk,
        "excerpt": "",
        "comments_open": "on",
        "updates-INITIAL_FORMS": "0",
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
    }
    updates = overrides.pop("updates", [])
    data["updates-TOTAL_FORMS"] = str(len(updates))
    for i, update in enumerate(updates):
        for name, value in update.items():
            data[f"updates-{i}-{name}"] = value
    data.update(overrides)
    return data


def errors_of(response):
    return " ".join(
        re.sub(r"<[^>]+>", " ", m)
        for m in re.findall(
            r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
        )
    )


def test_editor_writes_a_post_with_quotations_and_updates(editor_client, editor, quotation):
    other = Quotation.objects.create(
        text="put up or shut up",
        source=quotation.source,
        anonymous_description="a senior administration official",
        anonymity_reason="the letter had not been made public",
    )
    page = editor_client.get(ADD_POST)
    assert page.status_code == 200
    assert 'class="markdownx' in page.content.decode()
    body = f"Mixed response:\n\n[[quote:{quotation.pk}]]\n\nOne official said [[q:{other.pk}]]."
    data = post_form(
        editor,
        body=body,
        updates=[
            {"kind": "update", "placement": "top", "body": "First update.",
             "timestamp_0": "2026-01-02", "timestamp_1": "10:15:00"},
            {"kind": "correction", "placement": "appended", "body": "A correction.",
             "timestamp_0": "2026-01-03", "timestamp_1": "16:40:00"},
        ],
    )  # fmt: skip
    response = editor_client.post(ADD_POST, data)
    assert response.status_code == 302, errors_of(response)

    post = Post.objects.get(title="Medvedev answers")
    assert post.slug == "medvedev-answers"
    assert set(post.quotations.all()) == {quotation, other}
    page = editor_client.get(post.get_absolute_url()).content.decode()
    public = page[page.index("<article") :]
    assert "No one links these issues to any exchange." in public
    assert "Dmitri A. Medvedev</a>, President of Russia, at a news conference in Madrid" in public
    assert f'<q class="quotation-inline" cite="{quotation.source.url}">' in public
    assert "a senior administration official" in public  # the inline quote's attribution
    assert "January 2, 2026, 10:15 a.m." in public and "First update." in public
    assert "January 3, 2026, 4:40 p.m." in public and "A correction." in public
    assert "Correction:</strong>" in public
    assert (
        public.index("First update.")
        < public.index("Mixed response")
        < public.index("A correction.")
    )
    assert re.search(r"Updated <time[^>]*>January 3, 2026, 4:40 p.m.</time>", public)


def test_an_unknown_code_is_a_form_error_and_keeps_the_text(editor_client, editor, db):
    body = "My draft.\n\n[[quote:99]]"
    response = editor_client.post(ADD_POST, post_form(editor, body=body))
    assert response.status_code == 200
    assert "Quotation 99 does not exist." in errors_of(response)
    assert "My draft." in response.content.decode()
    assert not Post.objects.exists()


def test_an_unknown_code_in_an_update_is_a_form_error(editor_client, editor, db):
    updates = [{"kind": "update", "placement": "appended", "body": "See [[q:77]]",
                "timestamp_0": "2026-01-02", "timestamp_1": "10:15:00"}]  # fmt: skip
    response = editor_client.post(ADD_POST, post_form(editor, updates=updates))
    assert response.status_code == 200
    assert "Quotation 77 does not exist." in errors_of(response)
    assert not Post.objects.exists()


@time_machine.travel(datetime.datetime(2026, 3, 4, 4, 10, tzinfo=datetime.UTC), tick=False)
def test_a_duplicate_slug_on_the_same_date_is_refused(editor_client, editor, make_post):
    # 23:10 in New York, 04:10 the next day in UTC: the same day for the blog.
    make_post(title="Medvedev answers", published_at=timezone.now() - datetime.timedelta(hours=5))
    response = editor_client.post(ADD_POST, post_form(editor))
    assert response.status_code == 200
    assert "Another post published on March 3, 2026" in errors_of(response)
    assert Post.objects.count() == 1


def test_the_same_slug_on_another_date_is_fine(editor_client, editor, make_post):
    make_post(title="Medvedev answers", published_at=timezone.now() - datetime.timedelta(days=3))
    response = editor_client.post(ADD_POST, post_form(editor))
    assert response.status_code == 302
    assert Post.objects.filter(slug="medvedev-answers").count() == 2


def test_a_javascript_url_on_a_source_is_refused(editor_client):
    data = {"title": "Bad", "kind": "article", "url": "javascript:alert(1)", "publisher": "X"}
    response = editor_client.post(reverse("admin:quotes_source_add"), data)
    assert response.status_code == 200
    assert "Enter a valid URL." in errors_of(response)
    assert not Source.objects.exists()


def test_raw_script_in_markdown_is_sanitized_and_the_text_kept(editor_client, editor, db):
    body = 'Plain words.\n\n<script>alert("x")</script>\n\n<img src="a.png" onerror="alert(1)">'
    response = editor_client.post(ADD_POST, post_form(editor, body=body))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.body == body  # the source is kept as typed
    assert "Plain words." in post.body_html
    assert "<script" not in post.body_html and "onerror" not in post.body_html


def test_a_one_megabyte_body_is_refused_with_a_clear_message(editor_client, editor, db):
    body = "word " * 209_716  # a little over 1 MB
    response = editor_client.post(ADD_POST, post_form(editor, body=body))
    assert response.status_code == 200
    assert "Ensure this value has at most 200000 characters" in errors_of(response)
    assert not Post.objects.exists()


def test_the_preview_renders_the_attributed_quotation_sanitized(editor_client, quotation):
    content = f"[[quote:{quotation.pk}]]\n\n<script>alert(1)</script> <b onclick='x()'>bold</b>"
    response = editor_client.post(reverse("markdownx_markdownify"), {"content": content})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<figure class="quotation"' in html
    assert "Dmitri A. Medvedev</a>, President of Russia" in html
    assert "<b>bold</b>" in html
    assert "<script" not in html and "onclick" not in html


def test_the_preview_without_content_is_a_400(editor_client):
    assert editor_client.post(reverse("markdownx_markdownify"), {}).status_code == 400


@pytest.mark.parametrize("name", ["markdownx_markdownify", "markdownx_upload"])
def test_previews_and_uploads_are_refused_to_anonymous_users(client, db, name):
    response = client.post(reverse(name), {"content": "hi"})
    assert response.status_code == 403


def test_previews_are_refused_to_logged_in_non_staff(client, author):
    client.force_login(author)
    assert client.post(reverse("markdownx_markdownify"), {"content": "x"}).status_code == 403


def test_a_new_quotation_with_its_speaker_is_created_in_popups(editor_client, source):
    speaker_response = editor_client.post(
        reverse("admin:quotes_speaker_add") + "?_to_field=id&_popup=1",
        {"name": "Sergey Lavrov", "description": "Foreign Minister of Russia", "_popup": "1"},
    )
    assert "data-popup-response" in speaker_response.content.decode()
    speaker = Speaker.objects.get(name="Sergey Lavrov")
    response = editor_client.post(
        reverse("admin:quotes_quotation_add") + "?_to_field=id&_popup=1",
        {"text": "We will study the letter.", "source": source.pk, "speaker": speaker.pk,
         "_popup": "1"},
    )  # fmt: skip
    html = response.content.decode()
    assert "data-popup-response" in html
    quotation = Quotation.objects.get(text="We will study the letter.")
    assert json.dumps(str(quotation.pk)) in html.replace("&quot;", '"')
    assert "Sergey Lavrov" in quotation.block_html


@pytest.mark.parametrize("term", ["exchange", "Medvedev", "New York Times", "Secret Letter"])
def test_quotations_are_found_by_words_speaker_or_source(editor_client, quotation, term):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "blog", "model_name": "post", "field_name": "quotations", "term": term},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(quotation.pk)]


def test_the_change_form_shows_the_codes_of_cited_quotations(editor_client, make_post, quotation):
    post = make_post(f"[[quote:{quotation.pk}]]")
    html = editor_client.get(reverse("admin:blog_post_change", args=[post.pk])).content.decode()
    assert f"<code>[[quote:{quotation.pk}]]</code>" in html
    assert f"<code>[[q:{quotation.pk}]]</code>" in html
    assert 'src="/static/js/quotation-codes.js"' in html


def test_a_quotation_cannot_be_named_and_anonymous(editor_client, source, speaker):
    response = editor_client.post(
        reverse("admin:quotes_quotation_add"),
        {"text": "Words.", "source": source.pk, "speaker": speaker.pk,
         "anonymous_description": "an official"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "either by a named speaker or by an anonymous one" in errors_of(response)
    assert not Quotation.objects.exists()


@pytest.mark.parametrize("state", ["", "draft", "scheduled", "published"])
def test_the_post_list_filters_by_state(editor_client, make_post, state):
    make_post(title="Live")
    make_post(title="Later", published_at=timezone.now() + datetime.timedelta(days=1))
    make_post(title="Unfinished", status=Post.Status.DRAFT)
    response = editor_client.get(
        reverse("admin:blog_post_changelist"), {"state": state} if state else {}
    )
    html = response.content.decode()
    expected = {"": {"Live", "Later", "Unfinished"}, "draft": {"Unfinished"},
                "scheduled": {"Later"}, "published": {"Live"}}[state]  # fmt: skip
    shown = {title for title in ("Live", "Later", "Unfinished") if f">{title}</a>" in html}
    assert shown == expected


def test_a_cited_quotation_cannot_be_deleted(editor_client, make_post, quotation):
    make_post(f"[[quote:{quotation.pk}]]")
    response = editor_client.post(
        reverse("admin:quotes_quotation_delete", args=[quotation.pk]), {"post": "yes"}
    )
    assert response.status_code == 200
    assert (
        "would require deleting the following protected related objects"
        in response.content.decode()
    )
    assert Quotation.objects.filter(pk=quotation.pk).exists()


def test_a_block_code_inside_a_sentence_is_a_form_error(editor_client, editor, quotation):
    body = f"As he said [[quote:{quotation.pk}]] yesterday."
    response = editor_client.post(ADD_POST, post_form(editor, body=body))
    assert response.status_code == 200
    expected = f"[[quote:{quotation.pk}]] must be on a line of its own; inside a sentence use"
    assert expected in errors_of(response)
    assert not Post.objects.exists()
