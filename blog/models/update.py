from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

import freshness


class Update(freshness.TracksChanges, models.Model):
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
    # When its wording or kind last changed after it was added: readers see it (an update
    # is never silently rewritten), and staff see the earlier wordings in its revisions.
    changed_at = models.DateTimeField(editable=False, null=True)
    # Rendered with its post (blog/rendering.py), which joins its updates' HTML.
    body_html = models.TextField(editable=False, default="")

    tracked_fields = ["body", "kind"]
    history = HistoricalRecords(excluded_fields=["body_html"])

    class Meta:
        ordering = ["timestamp", "pk"]

    def __str__(self):
        when = timezone.localtime(self.timestamp)
        return f"{self.get_kind_display()} of {when:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.changed_fields() and self.post.is_public:
            self.changed_at = timezone.now()
        super().save(*args, **kwargs)
        freshness.changed(self)
        self.remember_saved()

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#update-{self.pk}"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        freshness.changed(self, deleted=True)
        return result

    @property
    def is_on_top(self):
        return self.placement == self.Placement.TOP
