from django.db import models
from django.utils.text import slugify

import freshness
import redirects
from ops.reversing import reverse_cached


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        created = self.pk is None
        before = None if created else Tag.objects.filter(pk=self.pk).first()
        super().save(*args, **kwargs)
        if before is not None and before.slug != self.slug:
            redirects.record(before.get_absolute_url(), self.get_absolute_url(), "tag renamed")
        freshness.changed(self, created=created)

    def get_absolute_url(self):
        return reverse_cached("blog:tag", self.slug)
