"""The blog's models, one file each: posts (with their citations and search documents),
updates, tags, comments."""

from .comment import Comment, CommentQuerySet, Moderation
from .post import (
    RENDER_VERSION,
    SITE_MARKER,
    Citation,
    Post,
    PostQuerySet,
    local_date,
    record_public_from,
)
from .search_document import SearchDocument
from .tag import Tag
from .update import Update

__all__ = [
    "RENDER_VERSION",
    "SITE_MARKER",
    "Citation",
    "Comment",
    "CommentQuerySet",
    "Moderation",
    "Post",
    "PostQuerySet",
    "SearchDocument",
    "Tag",
    "Update",
    "local_date",
    "record_public_from",
]
