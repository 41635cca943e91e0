from django.db import models


class Redirect(models.Model):
    """An address that moved: a request for `old_path` that finds nothing answers 301 to
    `new_path` (redirects/middleware.py). Written through `redirects.record()`."""

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The old address, a path from the site's root, such as /2009/03/a-post.html.",
    )
    new_path = models.CharField(
        max_length=500, help_text="Where it lives now: a path, or a full URL."
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Why it moved (a renamed slug, an import, a merge)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        indexes = [models.Index(fields=["new_path"], name="redirect_new_path")]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"
