from django.db import models


class ImportedItem(models.Model):
    """One item of an import, by its key in the export it came from (Blogger entry id,
    WordPress guid or post id...): importing the same file again skips what it finds here."""

    key = models.CharField(max_length=500, unique=True)
    kind = models.CharField(max_length=20, help_text="post, page, comment, quotation...")
    object_id = models.PositiveBigIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        permissions = [("import_blog", "Can import a blog export")]

    def __str__(self):
        return f"{self.kind} {self.key}"
