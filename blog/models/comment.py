from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.template.loader import render_to_string
from django.utils import timezone

import freshness
from quotes import markup


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """The one definition of a public comment: pages, counts and feeds use this."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


# The moderators' list: the queue (pending) first, oldest first; then the rest, newest
# first. Comment.Meta indexes these very expressions, so the list is read, not sorted.
QUEUE_FIRST = [
    Case(When(Q(status="pending"), then=Value(0)), default=Value(1)).asc(),
    Case(When(Q(status="pending"), then=F("submitted_at"))).asc(),
    F("submitted_at").desc(),
    F("id").desc(),  # a total order: the admin adds nothing the index lacks
]


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    QUEUE_FIRST = QUEUE_FIRST

    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(max_length=100)
    email = models.EmailField(help_text="Never shown on the site.")
    url = models.URLField("website", max_length=200, blank=True)
    text = models.TextField(
        max_length=5000, help_text="Plain text; web addresses become links (nofollow)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    note = models.CharField(
        "moderation note",
        max_length=200,
        blank=True,
        help_text="Why the rules held it, approved it or sent it to spam.",
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_comments",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The comment this one answers (threads imported from WordPress or Blogger).",
    )
    # Rendered on save: the text by the markup pipeline's comment allow-list, and the whole
    # comment as the post page shows it (the post joins its approved comments' blocks).
    text_html = models.TextField(editable=False, default="")
    html = models.TextField(editable=False, default="")

    objects = CommentQuerySet.as_manager()
    was_public = False  # as loaded from the database (from_db)

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),  # the moderation queue
            models.Index(fields=["post", "status", "submitted_at"]),  # the post's block
            models.Index(fields=["email", "status"]),  # "approved before?"
            models.Index(*QUEUE_FIRST, name="comment_queue_first"),
        ]
        permissions = [("moderate_comment", "Can approve, reject or mark comments as spam")]

    def __str__(self):
        return f"{self.name} on {self.post}"

    def save(self, *args, **kwargs):
        self.text_html = markup.render_comment(self.text)
        if self.pk is None:
            super().save(*args, **kwargs)  # the block carries its id: #comment-12
            self.html = self.render_block()
            Comment.objects.filter(pk=self.pk).update(html=self.html)
        else:
            self.html = self.render_block()
            super().save(*args, **kwargs)
        if self.is_public or self.was_public:
            freshness.comments_changed([self.post_id])
        self.was_public = self.is_public

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

    def render_block(self):
        return render_to_string("blog/comment.html", {"comment": self}).strip()

    @property
    def is_public(self):
        return self.status == self.Status.APPROVED

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remembered so that saving or deleting a once-public comment refreshes the post.
        instance.was_public = instance.__dict__.get("status") == cls.Status.APPROVED
        return instance


class Moderation(models.Model):
    """One moderator's decision on a comment: who, when, from what to what. Rows are only
    ever added (blog/comments/moderation.py), so no decision overwrites an earlier one."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="moderations")
    previous_status = models.CharField(max_length=10, choices=Comment.Status.choices)
    status = models.CharField(max_length=10, choices=Comment.Status.choices)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["comment", "at"])]

    def __str__(self):
        return f"{self.get_previous_status_display()} → {self.get_status_display()}"
