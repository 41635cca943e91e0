"""Snapshots of sources, each quotation's verification against them, and the link-rot watch.

A Snapshot is a copy of a source as fetched (or pasted, or uploaded by an editor): never
edited, a new one is added. Quotations are verified against their source's latest
*reference* snapshot; a live page that no longer holds a quotation is kept as evidence
(reference=False) and the quotation stays verified against the copy that holds it.
"""

import hashlib
import zlib

from django.conf import settings
from django.db import models
from django.urls import reverse

from quotes.models import Quotation, Source


class SnapshotQuerySet(models.QuerySet):
    def reference(self):
        return self.filter(reference=True)

    def latest_for(self, source_id):
        """The snapshot quotations of `source_id` are checked against, or None."""
        return self.reference().filter(source_id=source_id).order_by("-taken_at", "-pk").first()


class Snapshot(models.Model):
    class Origin(models.TextChoices):
        FETCHED = "fetched", "Fetched"
        PASTED = "pasted", "Pasted by an editor"
        UPLOADED = "uploaded", "Uploaded by an editor"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    taken_at = models.DateTimeField(help_text="When the copy was fetched, pasted or uploaded.")
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(help_text="Bytes of the document as received.")
    truncated = models.BooleanField(default=False, help_text="Cut at the size limit.")
    raw = models.BinaryField(help_text="The document as received, zlib-compressed.")
    text = models.TextField(blank=True, help_text="Its main text, extracted.")
    reference = models.BooleanField(
        default=True,
        help_text="Quotations are checked against the latest reference snapshot. A live "
        "page that lost a quotation is kept, but not as the reference.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.CharField(max_length=300, blank=True, help_text="Where this copy came from.")

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-pk"]
        indexes = [models.Index(fields=["source", "reference", "-taken_at"])]

    def __str__(self):
        return f"{self.get_origin_display()} copy of {self.source}, {self.taken_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("integrity:archived", args=[self.pk])

    @property
    def document(self):
        return zlib.decompress(bytes(self.raw))

    @property
    def is_html(self):
        return is_html_type(self.content_type)

    @staticmethod
    def digest(document):
        return hashlib.sha256(document).hexdigest()

    @staticmethod
    def pack(document):
        """sha256, size and compressed bytes of a document."""
        return Snapshot.digest(document), len(document), zlib.compress(document, 6)


def is_html_type(content_type):
    return content_type.split(";")[0].strip().lower() in {"text/html", "application/xhtml+xml"}


class Verification(models.Model):
    class Status(models.TextChoices):
        VERBATIM = "verbatim", "Verbatim"
        NORMALISED = "normalised", "Same words (typography differs)"
        ELIDED = "elided", "Same words, with elisions"
        CLOSE = "close", "Differs from the source"
        NOT_FOUND = "not_found", "Not found in the source"

    FOUND = (Status.VERBATIM, Status.NORMALISED, Status.ELIDED)

    quotation = models.OneToOneField(
        Quotation, on_delete=models.CASCADE, related_name="verification"
    )
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="verifications")
    # When the copy checked against was taken: what readers are told ("checked on ...").
    snapshot_taken_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    score = models.FloatField(help_text="Similarity, 0 to 100.")
    # A W3C Web Annotation TextQuoteSelector, and the position in the snapshot's text.
    exact = models.TextField(blank=True)
    prefix = models.CharField(max_length=200, blank=True)
    suffix = models.CharField(max_length=200, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    differences = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["-checked_at"]

    def __str__(self):
        return f"{self.get_status_display()} ({self.score:.0f})"

    @property
    def found(self):
        return self.status in self.FOUND


class SourceWatch(models.Model):
    """A source's link-rot state and when it is next re-fetched."""

    class State(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        OK = "ok", "Answers, quotations found"
        MOVED = "moved", "Moved (redirected elsewhere)"
        CHANGED = "changed", "Changed (a quotation is no longer there)"
        GONE = "gone", "Gone (404 or 410)"
        UNREACHABLE = "unreachable", "Unreachable (timeout, error, refused)"

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="watch")
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.UNCHECKED, db_index=True
    )
    state_since = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Checks in a row with the same answer: the next one waits longer (backoff).
    streak = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "source link check"
        verbose_name_plural = "source link checks"

    def __str__(self):
        return f"{self.source}: {self.get_state_display()}"

    @property
    def is_gone(self):
        return self.state == self.State.GONE


class Check(models.Model):
    """One fetch of a source: the status history the link-rot watch keeps."""

    class Outcome(models.TextChoices):
        OK = "ok", "Fetched"
        TRUNCATED = "truncated", "Fetched, cut at the size limit"
        NOT_HTML = "not_html", "Fetched, not an HTML page"
        HTTP_ERROR = "http_error", "Answered with an error status"
        TIMEOUT = "timeout", "Timed out"
        REFUSED = "refused", "Refused (address not allowed)"
        FAILED = "failed", "Failed (connection or protocol error)"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    state = models.CharField(max_length=12, choices=SourceWatch.State.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    snapshot = models.ForeignKey(Snapshot, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["source", "-checked_at"])]

    def __str__(self):
        return f"{self.source}: {self.get_outcome_display()} at {self.checked_at:%Y-%m-%d %H:%M}"
