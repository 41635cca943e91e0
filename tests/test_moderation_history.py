"""Moderation history: every moderator decision on a comment is a row; none is overwritten."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import Comment, Moderation

from .test_moderation import CHANGELIST, staff


@pytest.fixture
def ann(db):
    return staff("ann", "Moderators")


@pytest.fixture
def ben(db):
    return staff("ben", "Moderators")


def test_each_decision_is_a_row_with_who_and_when_shown_on_the_comment(
    client, ann, ben, make_post, make_comment
):
    comment = make_comment(make_post())
    moderate = reverse("admin:blog_comment_moderate", args=[comment.pk])
    client.force_login(ann)
    client.post(moderate, {"status": "approved"})
    client.force_login(ben)
    client.post(moderate, {"status": "pending"})  # un-approve: back in the queue
    client.post(CHANGELIST, {"action": "mark_spam", "_selected_action": [comment.pk]})

    rows = list(comment.moderations.values_list("moderator__username", "previous_status",
                                                "status"))  # fmt: skip
    assert rows == [
        ("ann", "pending", "approved"),
        ("ben", "approved", "pending"),
        ("ben", "pending", "spam"),
    ]
    assert all(m.at is not None for m in comment.moderations.all())
    page = client.get(reverse("admin:blog_comment_change", args=[comment.pk])).content.decode()
    assert "ann changed it from Pending to Approved" in page
    assert "ben changed it from Approved to Pending" in page
    assert "ben changed it from Pending to Spam" in page


def test_a_status_changed_on_the_comment_form_is_recorded_too(client, ann, make_post,
                                                             make_comment):  # fmt: skip
    comment = make_comment(make_post(), status="approved")
    client.force_login(ann)
    url = reverse("admin:blog_comment_change", args=[comment.pk])
    data = {"status": "rejected", "name": comment.name, "email": comment.email, "url": "",
            "text": comment.text}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert list(comment.moderations.values_list("previous_status", "status")) == [
        ("approved", "rejected")
    ]


def bulk_approve(client, comments):
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(status="pending")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            CHANGELIST, {"action": "approve", "_selected_action": [c.pk for c in comments]}
        )
    assert response.status_code == 302
    return len(queries)


def test_a_bulk_action_records_every_comment_in_a_constant_number_of_queries(
    client, ann, make_post, make_comment
):
    client.force_login(ann)
    post = make_post()
    few = [make_comment(post, f"Comment {i}.") for i in range(3)]
    many = few + [make_comment(post, f"Comment {i}.") for i in range(3, 12)]
    assert bulk_approve(client, few) == bulk_approve(client, many)
    assert Moderation.objects.filter(status="approved").count() == len(few) + len(many)
