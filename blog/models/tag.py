from django.db import models
from django.urls import reverse
from django.utils.text import slugify

import freshness


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
        super().save(*args, **kwargs)
        freshness.changed(self, created=created)

    def get_absolute_url(self):
        return reverse("blog:tag", args=[self.slug])
