"""The moderation queue: pending comments first, oldest first, acted on from the list."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from freshness.admin import FreshnessBatchMixin

from ..big_fields import POST_BIG_FIELDS
from ..models import Comment, Moderation, Post
from . import moderation

Status = Comment.Status
# What each button does, and how the message after it reads.
VERBS = {Status.APPROVED: "Approve", Status.REJECTED: "Reject", Status.SPAM: "Spam"}
DONE = {Status.APPROVED: "approved", Status.REJECTED: "rejected", Status.SPAM: "marked as spam",
        Status.PENDING: "put back in the queue"}  # fmt: skip


class PostFilter(admin.SimpleListFilter):
    """Comments on one post, reached from the "all comments on this post" link of a row.

    Django's related-field filter lists every commented post in the sidebar (at 100,000
    posts, all of them, loaded whole); this one shows only the post chosen, if any.
    """

    title = "post"
    parameter_name = "post__id__exact"

    def lookups(self, request, model_admin):
        chosen = self.value()
        if not (chosen and chosen.isdigit()):
            return []
        post = Post.objects.filter(pk=chosen).only("title").first()
        return [(chosen, post.title if post else f"Post {chosen} (deleted)")]

    def queryset(self, request, queryset):
        if self.value():
            if not self.value().isdigit():
                return queryset.none()
            return queryset.filter(post_id=self.value())
        return queryset


@admin.register(Comment)
class CommentAdmin(FreshnessBatchMixin, admin.ModelAdmin):
    list_display = ["rendered_text", "commenter", "submitted_at", "state"]
    list_display_links = ["submitted_at"]
    list_filter = ["status", PostFilter]
    search_fields = ["name", "email", "text", "ip_address"]
    actions = ["approve", "reject", "mark_spam"]
    list_per_page = 50
    show_full_result_count = False  # one COUNT a page, not two
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["post_link", "rendered_text", "submitted_at", "ip_address", "user_agent",
                       "note", "moderated_by", "moderated_at", "moderation_history"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["status", "post_link", "rendered_text"]}),
        ("As sent", {"fields": ["name", "email", "url", "text"]}),
        ("Record", {"fields": ["submitted_at", "ip_address", "user_agent", "note",
                               "moderated_by", "moderated_at", "moderation_history"]}),
    ]  # fmt: skip

    class Media:
        css = {"all": ["css/comments-admin.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("post", "moderated_by")
            .defer(*(f"post__{name}" for name in POST_BIG_FIELDS))
        )

    def get_ordering(self, request):
        # One status: in the order of the (status, submitted_at) index, so a page of a
        # million approved comments reads 50 rows instead of sorting them all.
        status = request.GET.get("status__exact")
        if status == Status.PENDING:
            return ["submitted_at", "pk"]  # the queue, oldest first
        if status in Status.values:
            return ["-submitted_at", "-pk"]
        # The queue (pending) first, oldest first; then everything else, newest first: the
        # order of the index Comment.Meta names "comment_queue_first" (an index on these very
        # expressions), so a page of a million comments reads 50 rows, not sorts them all.
        return Comment.QUEUE_FIRST

    def get_list_display(self, request):
        # The buttons next to the text, where the eye is; the rest is context.
        if self.has_moderate_permission(request):
            return ["rendered_text", "buttons", *self.list_display[1:]]
        return self.list_display

    def has_add_permission(self, request):
        return False  # comments come from readers

    def has_moderate_permission(self, request):
        return request.user.has_perm("blog.moderate_comment")

    def get_urls(self):
        moderate = self.admin_site.admin_view(self.moderate_view)
        return [
            path("<int:pk>/moderate/", moderate, name="blog_comment_moderate"),
            *super().get_urls(),
        ]

    @admin.display(description="comment")
    def rendered_text(self, comment):
        # text_html is the markup pipeline's output, the same the public page shows.
        return format_html('<div class="comment-rendered">{}</div>', mark_safe(comment.text_html))  # noqa: S308

    @admin.display(description="by, on", ordering="name")
    def commenter(self, comment):
        website = format_html(
            '<br><a href="{}" rel="nofollow noopener">{}</a>', comment.url, comment.url
        )
        return format_html(
            '{}<br><span class="comment-whois">{}<br>{}{}</span><br>on {}',
            comment.name,
            comment.email,
            comment.ip_address or "no IP",
            website if comment.url else "",
            self.post_link(comment),
        )

    @admin.display(description="post", ordering="post__published_at")
    def post_link(self, comment):
        mine = reverse("admin:blog_comment_changelist") + f"?post__id__exact={comment.post_id}"
        return format_html(
            '<a href="{}#comments">{}</a> (<a href="{}" class="comments-on-post">all comments '
            "on this post</a>)",
            comment.post.get_absolute_url(),
            comment.post.title,
            mine,
        )

    @admin.display(description="status", ordering="status")
    def state(self, comment):
        note = format_html('<br><span class="comment-whois">{}</span>', comment.note)
        return format_html("{}{}", comment.get_status_display(), note if comment.note else "")

    @admin.display(description="moderate")
    def buttons(self, comment):
        # Buttons of the changelist's own form (it carries the CSRF token), sent elsewhere.
        url = reverse("admin:blog_comment_moderate", args=[comment.pk])
        choices = [(status, verb) for status, verb in VERBS.items() if status != comment.status]
        return format_html(
            '<div class="comment-buttons">{}</div>',
            format_html_join(
                "",
                '<button type="submit" class="button" formaction="{}" formmethod="post" '
                'name="status" value="{}">{}</button>',
                ((url, status, verb) for status, verb in choices),
            ),
        )

    def moderate_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        status = request.POST.get("status")
        if status not in Status.values:
            return HttpResponseBadRequest("Unknown status.")
        comments = Comment.objects.filter(pk=pk)
        comment = comments.first()
        if comment is None:
            raise Http404("No such comment.")
        moderation.moderate(comments, status, request.user)
        self.message_user(request, f"The comment by {comment.name} was {DONE[status]}.")
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = reverse("admin:blog_comment_changelist")
        return redirect(back)

    def set_status(self, request, queryset, status):
        count = moderation.moderate(queryset, status, request.user)
        noun = "comment was" if count == 1 else "comments were"
        self.message_user(request, f"{count} {noun} {DONE[status]}.")

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve(self, request, queryset):
        self.set_status(request, queryset, Status.APPROVED)

    @admin.action(description="Reject selected comments", permissions=["moderate"])
    def reject(self, request, queryset):
        self.set_status(request, queryset, Status.REJECTED)

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self.set_status(request, queryset, Status.SPAM)

    def save_model(self, request, obj, form, change):
        # Comment.save refreshes the post when the comment was or becomes public.
        if "status" in form.changed_data:
            obj.moderated_by, obj.moderated_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data:
            Moderation.objects.create(
                comment=obj, previous_status=form.initial["status"], status=obj.status,
                moderator=request.user, at=obj.moderated_at,
            )  # fmt: skip

    @admin.display(description="moderation history")
    def moderation_history(self, comment):
        rows = [
            (timezone.localtime(m.at).strftime("%Y-%m-%d %H:%M"),
             m.moderator.get_username() if m.moderator else "(deleted user)",
             m.get_previous_status_display(), m.get_status_display())
            for m in comment.moderations.select_related("moderator")
        ]  # fmt: skip
        if not rows:
            return "No moderator has acted on it yet."
        return format_html(
            '<ol class="moderation-history">{}</ol>',
            format_html_join("", "<li>{}: {} changed it from {} to {}</li>", rows),
        )
