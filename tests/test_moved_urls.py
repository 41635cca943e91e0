"""Old URLs keep working: a published post, tag, speaker or source that moves answers 301."""

import datetime

import pytest
from django.urls import reverse

from blog.models import Post, Tag
from redirects.models import Redirect

from .forms import form_data


def moved(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_a_published_posts_new_slug_and_date_through_the_admin_leave_301s(
    admin_client, client, make_post, committed
):
    post = make_post(title="Talks in Madrid")
    first = post.get_absolute_url()
    url = reverse("admin:blog_post_change", args=[post.pk])
    data = form_data(admin_client.get(url).content.decode(), "post_form")
    data["slug"] = "madrid-talks"
    with committed():  # the cached pages of the old address are purged after the commit
        assert admin_client.post(url, data).status_code == 302
    second = Post.objects.get(pk=post.pk).get_absolute_url()
    assert second != first
    moved(client, first, second)

    data = form_data(admin_client.get(url).content.decode(), "post_form")
    earlier = post.published_at - datetime.timedelta(days=3)
    data["published_at_0"] = f"{earlier:%Y-%m-%d}"
    with committed():  # the cached pages of the old address are purged after the commit
        assert admin_client.post(url, data).status_code == 302
    third = Post.objects.get(pk=post.pk).get_absolute_url()
    assert third != second
    moved(client, second, third)
    moved(client, first, third)  # no chain of hops


def test_a_draft_moves_without_a_redirect(make_post):
    post = make_post(title="Draft", status=Post.Status.DRAFT)
    old = post.get_absolute_url()
    post.slug = "renamed-draft"
    post.save()
    assert not Redirect.objects.filter(old_path=old).exists()


@pytest.mark.parametrize("kind", ["speaker", "source", "tag"])
def test_a_renamed_speaker_source_or_tag_page_answers_301(
    client, make_post, quotation, kind, committed
):
    post = make_post(f"[[quote:{quotation.pk}]]")
    tag = Tag.objects.create(name="Diplomacy")
    post.tags.add(tag)
    thing = {"speaker": quotation.speaker, "source": quotation.source, "tag": tag}[kind]
    old = thing.get_absolute_url()
    assert client.get(old).status_code == 200
    thing.slug = "a-new-slug"
    with committed():
        thing.save()
    moved(client, old, thing.get_absolute_url())
