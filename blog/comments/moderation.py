"""Comment moderation: the rules a new comment passes through, and the moderators' actions.

Every comment is screened once, when it is posted, by `screen()`, in the spirit of
WordPress's discussion settings. Each rule is a setting (see config/settings.py):

    COMMENTS_BLOCKED_IPS      an address or network          -> spam
    COMMENTS_BLOCKED_EMAILS   an address, or "@domain"       -> spam
    COMMENTS_BLOCKED_WORDS    in name, email, URL, text,
                              IP or browser (any case)       -> spam
    COMMENTS_MAX_LINKS        more links than this           -> pending, whatever follows
    COMMENTS_AUTO_APPROVE_KNOWN  an approved comment with
                              the same email before          -> approved
    otherwise                                                -> pending

Spam is kept (for the record, and to be rescued) but never shown, counted or mailed about.
`comments_open()` closes a post by its own switch or COMMENTS_CLOSE_AFTER_DAYS after
publication. `over_rate_limit()` counts attempts per client address in the shared cache,
so the limit holds across app servers. `notify_moderators()` mails the `Moderators` group
after the commit, at most once per moderator every COMMENTS_NOTIFY_EVERY_MINUTES.
`moderate()` is what the admin's actions and buttons call: it records who and when (a
Moderation row per comment and decision, never overwritten), and
refreshes the posts whose public comments changed.
"""

import datetime
import ipaddress
import re
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

import freshness
from ops.client_ip import client_ip as trusted_client_ip
from ops.ratelimit import count_attempt, parse_limit
from quotes import markup

from ..models import Comment, Moderation

MODERATORS_GROUP = "Moderators"
LINK = re.compile(r"<a\s", re.IGNORECASE)


def comments_open(post, now=None):
    """Open by the post's switch, and not yet COMMENTS_CLOSE_AFTER_DAYS old."""
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if not post.comments_open:
        return False
    if days and (now or timezone.now()) > post.published_at + datetime.timedelta(days=days):
        return False
    return True


def screen(comment):
    """The status and the reason for a new comment, from the rules above (no side effects)."""
    spam_reason = blocked(comment)
    if spam_reason:
        return Comment.Status.SPAM, spam_reason
    # Links as the page would show them: what linkify makes of the text.
    links = len(LINK.findall(markup.render_comment(comment.text)))
    limit = settings.COMMENTS_MAX_LINKS
    if links > limit:
        return Comment.Status.PENDING, f"Held: {links} links (more than {limit})."
    if settings.COMMENTS_AUTO_APPROVE_KNOWN and (
        Comment.objects.approved().filter(email__iexact=comment.email).exists()
    ):
        return Comment.Status.APPROVED, "Approved: an earlier comment with this email was."
    return Comment.Status.PENDING, ""


def blocked(comment):
    """Why a comment is spam by the block lists, or an empty string."""
    if comment.ip_address and any(
        ipaddress.ip_address(comment.ip_address) in network for network in blocked_networks()
    ):
        return f"Spam: blocked IP address {comment.ip_address}."
    email = comment.email.lower()
    for entry in settings.COMMENTS_BLOCKED_EMAILS:
        entry = entry.lower()
        if email == entry or (entry.startswith("@") and email.endswith(entry)):
            return f"Spam: blocked email {entry}."
    haystack = "\n".join(
        [comment.name, comment.email, comment.url, comment.text, comment.ip_address or "",
         comment.user_agent]
    ).lower()  # fmt: skip
    for word in settings.COMMENTS_BLOCKED_WORDS:
        if word.lower() in haystack:
            return f"Spam: blocked word “{word}”."
    return ""


def blocked_networks():
    try:
        return [
            ipaddress.ip_network(entry, strict=False) for entry in settings.COMMENTS_BLOCKED_IPS
        ]
    except ValueError as error:
        raise ImproperlyConfigured(f"COMMENTS_BLOCKED_IPS: {error}") from error


def client_ip(request):
    """The reader's address: REMOTE_ADDR, or X-Forwarded-For from TRUSTED_PROXIES only."""
    return trusted_client_ip(request)


def rate_limit():
    return parse_limit(settings.COMMENTS_RATE_LIMIT, "COMMENTS_RATE_LIMIT")


def over_rate_limit(ip):
    """Count one attempt from `ip`; true once it passes COMMENTS_RATE_LIMIT in its window."""
    count, seconds = rate_limit()
    try:
        # An IPv6 reader gets a whole /64; counting single addresses would be no limit.
        address = ipaddress.ip_address(ip)
        bucket = ipaddress.ip_network(f"{ip}/64", strict=False) if address.version == 6 else ip
    except ValueError:
        bucket = "unknown"
    attempts = count_attempt(f"comments:rate:{bucket}", seconds)
    return attempts > count


def notify_moderators(comment, review_url):
    """After the commit, mail each moderator about the queue, unless mailed recently."""
    transaction.on_commit(partial(send_notifications, comment.pk, review_url))


def send_notifications(comment_pk, review_url):
    comment = Comment.objects.select_related("post").filter(pk=comment_pk).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return
    moderators = (
        get_user_model()
        .objects.filter(groups__name=MODERATORS_GROUP, is_active=True)
        .exclude(email="")
    )
    seconds = settings.COMMENTS_NOTIFY_EVERY_MINUTES * 60
    recipients = [m for m in moderators if cache.add(f"comments:notified:{m.pk}", 1, seconds)]
    if not recipients:
        return
    context = {
        "comment": comment,
        "pending": Comment.objects.pending().count(),
        "review_url": review_url,
    }
    subject = f"[{settings.BLOG_TITLE}] A comment awaits moderation: {comment.post}"
    body = render_to_string("blog/comment_notification.txt", context)
    messages = [EmailMessage(subject, body, to=[m.email]) for m in recipients]
    get_connection().send_messages(messages)


def moderate(comments, status, moderator):
    """Give `comments` a status, record who and when, and render the comments blocks of the
    posts whose public comments changed: one transaction, one freshness batch."""
    with transaction.atomic(), freshness.batch():
        changing = list(
            comments.exclude(status=status)
            .select_for_update()
            .values_list("pk", "post_id", "status")
            .order_by("pk")
        )
        now = timezone.now()
        count = Comment.objects.filter(pk__in=[pk for pk, _, _ in changing]).update(
            status=status, moderated_by=moderator, moderated_at=now
        )
        # The record: one row per comment and decision, written in one INSERT per batch.
        Moderation.objects.bulk_create(
            [
                Moderation(
                    comment_id=pk, previous_status=was, status=status, moderator=moderator, at=now
                )
                for pk, _, was in changing
            ],  # fmt: skip
            batch_size=1000,
        )
        approved = Comment.Status.APPROVED
        freshness.comments_changed(
            sorted({post for _, post, was in changing if approved in (status, was)})
        )
    return count
