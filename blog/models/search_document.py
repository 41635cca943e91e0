from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocumentQuerySet(models.QuerySet):
    def published(self, now):
        """By the copies: Post.objects.published's condition. Search loads the page it shows
        through Post.objects.published itself, so a copy behind its post hides a result
        rather than showing one."""
        from .post import Post

        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=now)


class SearchDocument(models.Model):
    """A post's full-text document on PostgreSQL (SQLite keeps its FTS5 table), in a narrow
    table of its own with copies of the post's status and publication date, written by
    blog/rendering.py with the document.

    Search ranks the newest matching posts: on the post row, where the document was stored
    out of line (TOAST, about 2.7 KB and incompressible), each post cost a dozen pages read
    twice, to match and to rank. Here the document is kept in the row (storage MAIN, set by
    migration 0020) and the newest are read in order from one index, without the post."""

    post = models.OneToOneField(
        "blog.Post", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    status = models.CharField(max_length=10)
    published_at = models.DateTimeField()
    search_document = SearchVectorField()

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        db_table = "blog_post_search"
        indexes = [models.Index(fields=["status", "-published_at"], name="post_search_newest")]

    def __str__(self):
        return f"Search document of post {self.post_id}"
