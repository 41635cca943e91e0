"""Posting a comment, and the reader's own page after posting.

The post page is one shared, cached document, so it carries no CSRF token: the comment
POST is checked by the browser's Origin / Sec-Fetch-Site headers instead (docs/decisions.md,
"Comments without a CSRF token"). Both views answer per reader and are never cached.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ..models import Comment, Post
from . import moderation
from .forms import CommentForm, blank_form_html

logger = logging.getLogger(__name__)

SESSION_KEY = "comments_posted"
REMEMBERED = 20  # the reader's latest comments the session keeps


def comment_context(post):
    """What the post page needs for its comments section: the same for every reader."""
    is_open = moderation.comments_open(post)
    return {"comments_open": is_open, "comment_form": blank_form_html() if is_open else ""}


def sent_from_this_site(request):
    """True when the browser says the form was sent from a page of this site."""
    ours = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin in ours
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site == "same-origin"
    # Browsers from before Origin on every POST (Firefox < 70) still send a Referer.
    referer = urlsplit(request.headers.get("Referer", ""))
    return f"{referer.scheme}://{referer.netloc}" in ours


def refuse(request, post, status, title, message, retry_after=None):
    response = render(
        request,
        "blog/comment_refused.html",
        {"post": post, "title": title, "message": message},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@csrf_exempt  # see sent_from_this_site(); the post page holds no token to send
@never_cache
@require_POST
def post_comment(request, pk):
    post = get_object_or_404(Post.objects.published(), pk=pk)
    if not sent_from_this_site(request):
        return refuse(
            request, post, 403, "Comment not sent",
            "Comments can only be sent from the comment form on this site. "
            "Please go back to the post and try again.",
        )  # fmt: skip
    if not moderation.comments_open(post):
        return refuse(
            request, post, 403, "Comments are closed",
            "Comments are closed on this post, so yours was not saved.",
        )  # fmt: skip
    ip = moderation.client_ip(request)
    try:
        over_limit = moderation.over_rate_limit(ip)
    except Exception:  # the shared cache is down: no limit can be checked, so none passes
        logger.exception("comment rate limit: the shared cache failed")
        form = CommentForm(request.POST)
        form.is_valid()
        form.add_error(
            None,
            "Comments cannot be accepted for a few minutes because of a problem on our side. "
            "Your comment was not saved: please copy it, and send it again shortly.",
        )
        context = {"post": post, "form": form}
        response = render(request, "blog/comment_form.html", context, status=503)
        response["Retry-After"] = "60"
        return response
    if over_limit:
        count, seconds = moderation.rate_limit()
        return refuse(
            request, post, 429, "Too many comments",
            f"You have sent more than {count} comments in {seconds // 60 or 1} minutes. "
            "Please wait a few minutes, then send yours again.",
            retry_after=seconds,
        )  # fmt: skip
    form = CommentForm(request.POST)
    posted = reverse("blog:comment_posted", args=[post.pk])
    if form.is_bot:
        return redirect_see_other(posted)  # what a person would get; nothing is kept
    if not form.is_valid():
        return render(request, "blog/comment_form.html", {"post": post, "form": form}, status=400)
    comment = form.save(commit=False)
    comment.post = post
    comment.ip_address = ip
    comment.user_agent = request.headers.get("User-Agent", "")[:300]
    comment.status, comment.note = moderation.screen(comment)
    comment.save()
    if comment.status == Comment.Status.PENDING:
        queue = reverse("admin:blog_comment_changelist") + "?status__exact=pending"
        moderation.notify_moderators(comment, request.build_absolute_uri(queue))
    remembered = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*remembered, comment.pk][-REMEMBERED:]
    return redirect_see_other(f"{posted}#comment-{comment.pk}")


def redirect_see_other(url):
    response = redirect(url)
    response.status_code = 303  # the browser follows with a GET, and Back does not re-post
    return response


@never_cache
@require_GET
def comment_posted(request, pk):
    """The post as its page shows it, plus this reader's comments that await moderation."""
    post = get_object_or_404(
        Post.objects.published().select_related("author").prefetch_related("tags"), pk=pk
    )
    mine = list(Comment.objects.filter(post=post, pk__in=request.session.get(SESSION_KEY, [])))
    # Spam is shown to its sender as pending: no need to tell a spammer what was caught.
    pending = [c for c in mine if c.status in (Comment.Status.PENDING, Comment.Status.SPAM)]
    published = bool(mine) and mine[-1].is_public  # the latest was approved at once
    context = {
        "post": post,
        "pending_comments": pending,
        "just_published": published,
        "posted": True,
        **comment_context(post),
    }
    return render(request, "blog/comment_posted.html", context)
