"""The moderation queue's size, for the admin index."""

from django import template

from ..models import Comment

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_comment_count(context):
    """Comments awaiting moderation, or None for a user who may not see comments."""
    if not context["request"].user.has_perm("blog.view_comment"):
        return None
    return Comment.objects.pending().count()
