from django.db import models
from django.utils import timezone

import freshness


class Update(models.Model):
    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        CORRECTION = "correction", "Correction"

    class Placement(models.TextChoices):
        APPENDED = "appended", "After the post"
        TOP = "top", "On top of the post"

    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="updates")
    body = models.TextField(help_text="Markdown; quotation codes work here too.")
    timestamp = models.DateTimeField(
        default=timezone.now, help_text="Shown with the update; readers see when it was added."
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.UPDATE)
    placement = models.CharField(
        max_length=10, choices=Placement.choices, default=Placement.APPENDED
    )
    # Rendered with its post (blog/rendering.py), which joins its updates' HTML.
    body_html = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["timestamp", "pk"]

    def __str__(self):
        when = timezone.localtime(self.timestamp)
        return f"{self.get_kind_display()} of {when:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        freshness.changed(self)

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#update-{self.pk}"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        freshness.changed(self, deleted=True)
        return result

    @property
    def is_on_top(self):
        return self.placement == self.Placement.TOP
