import datetime
import functools

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from quotes import markup
from quotes.models import Quotation


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)
        # Posts show their tags' names and links in their stored pages.
        for post in self.posts.all():
            post.refresh_fragments()

    def get_absolute_url(self):
        return reverse("blog:tag", args=[self.slug])


# Stands for the site's address in stored HTML (the .invalid domain exists nowhere), so the
# same stored page serves whatever SITE_URL or host the request comes in on.
SITE_MARKER = "https://site.invalid"
FRAGMENTS = ["sources_html", "article_html", "listing_html", "head_html"]


PAGE_FIELDS = [
    "title", "slug", "status", "published_at", "summary", "comments_open",
    "comment_count", "comments_html", "article_html", "head_html",
]  # fmt: skip


@functools.cache
def page_query_sql(alias):
    """The SQL of PostQuerySet.page_at on database `alias`, and the order of its parameters."""
    start = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    sample = {"slug": "-", "start": start, "end": start + datetime.timedelta(days=1)}
    query = (
        Post.objects.using(alias)
        .filter(slug="-", published_at__gte=sample["start"], published_at__lt=sample["end"])
        .only(*PAGE_FIELDS)
        .order_by()[:1]
    )
    sql, params = query.query.sql_with_params()
    adapt = connections[alias].ops.adapt_datetimefield_value
    adapted = {"slug": "-", "start": adapt(sample["start"]), "end": adapt(sample["end"])}
    order = [next(name for name, value in adapted.items() if value == p) for p in params]
    return sql, order


def local_date(moment):
    """The calendar day of an aware datetime in the blog's time zone (TIME_ZONE)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


class PostQuerySet(models.QuerySet):
    def published(self):
        """The one definition of public: published, and its time has come (no cron job)."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def page_at(self, slug, start, end):
        """The post at /date/slug/ (published in [start, end)) with what its page shows.

        The hottest query of the site. Django compiles a query anew each time, which costs
        three times what running it does (0.65 of 0.9 ms, measured); the SQL is the same
        every time, so it is compiled once per database and run with raw().
        """
        sql, order = page_query_sql(self.db)
        adapt = connections[self.db].ops.adapt_datetimefield_value
        values = {"slug": slug, "start": adapt(start), "end": adapt(end)}
        return next(iter(self.raw(sql, [values[name] for name in order])), None)

    def for_listing(self):
        """What the front page shows: each post's stored listing, and its date."""
        return self.only("listing_html", "published_at")


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published (or scheduled, if the date is in the future)"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        blank=True,
        help_text="The last part of the address. Leave blank to make one from the title. "
        "Unique among the posts of its publication day.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    body = models.TextField(
        help_text="Markdown. Embed a quotation with [[quote:ID]] on a line of its own, or "
        "inline with [[q:ID]]; find or create quotations below to get their codes."
    )
    excerpt = models.TextField(
        blank=True,
        help_text="One or two sentences for search engines, feeds and link previews. "
        "Leave blank to use the start of the post.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication date",
        default=timezone.now,
        help_text="A published post with a future date stays hidden until then.",
    )
    # The day of published_at in the blog's time zone (TIME_ZONE): the date in the post's
    # address, unique with the slug. Django's unique_for_date compares the UTC day instead.
    published_on = models.DateField(editable=False, null=True)
    comments_open = models.BooleanField(default=True)
    quotations = models.ManyToManyField(
        Quotation,
        through="Citation",
        blank=True,
        related_name="posts",
        help_text="Search quotations by words, speaker or source, or add one with +, to get "
        "its code. On save this becomes the list of quotations the body and updates embed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    # Rendered on save by the markup pipeline, so a page view renders no markdown.
    body_html = models.TextField(editable=False, default="")
    summary = models.TextField(editable=False, default="")
    updates_top_html = models.TextField(editable=False, default="")
    updates_appended_html = models.TextField(editable=False, default="")
    sources_html = models.TextField(editable=False, default="")
    last_updated_at = models.DateTimeField(editable=False, null=True)
    # The approved comments, rendered and joined when one is approved, changed or removed
    # (Post.refresh_comments), so the page costs no query and no date formatting per comment.
    comments_html = models.TextField(editable=False, default="")
    comment_count = models.PositiveIntegerField(editable=False, default=0)
    # The page itself, put together from the pieces above when any of them changes: the
    # article as the post page and as the front page show it, and the <head> metadata
    # (OpenGraph, JSON-LD), whose absolute URLs start with SITE_MARKER.
    article_html = models.TextField(editable=False, default="")
    listing_html = models.TextField(editable=False, default="")
    head_html = models.TextField(editable=False, default="")
    # PostgreSQL's full-text document of the post, kept by blog/search.py (unused on SQLite).
    search_document = SearchVectorField(null=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["slug", "published_at"]),
            # Archives: a range of local days, newest first, counted by day (blog/archives.py).
            models.Index(fields=["status", "published_on", "published_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "published_on"],
                name="post_slug_unique_per_local_day",
                violation_error_message="Another post published that day has this slug.",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, update_fields=None, **kwargs):
        # A save of named fields (say, the comments block) leaves the rendered body be.
        if update_fields is None:
            self.slug = self.slug or self.default_slug()
            self.published_on = local_date(self.published_at)
            self.render_html()
        super().save(*args, update_fields=update_fields, **kwargs)
        if update_fields is None:
            self.record_citations()
            # The page shows the tags and the citations, which need the saved row.
            self.refresh_fragments()
            from .search import index_posts

            index_posts([self.pk])

    def get_absolute_url(self):
        published = local_date(self.published_at)
        return reverse(
            "blog:post",
            kwargs={
                "year": published.year,
                "month": f"{published.month:02d}",
                "day": f"{published.day:02d}",
                "slug": self.slug,
            },
        )

    def clean(self):
        # Before the uniqueness check, so a blank slug is checked as the one it becomes.
        self.slug = self.slug or self.default_slug()
        if self.published_at is None:
            return
        self.published_on = local_date(self.published_at)
        # The admin form leaves published_on (not a form field) out of the constraint check.
        clash = Post.objects.filter(slug=self.slug, published_on=self.published_on)
        if clash.exclude(pk=self.pk).exists():
            raise ValidationError(
                {
                    "slug": f"Another post published on {self.published_on:%B %-d, %Y} "
                    f"({settings.TIME_ZONE} time) has the address “{self.slug}”: "
                    "change the slug or the title."
                }
            )

    def default_slug(self):
        return slugify(self.title)[:200] or "post"

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def state(self):
        if self.status == self.Status.DRAFT:
            return "Draft"
        return "Published" if self.published_at <= timezone.now() else "Scheduled"

    def render_html(self):
        """Render the body and the joined update blocks (the markdown work of a save)."""
        self.body_html = markup.render_markdown(self.body)
        text = self.excerpt or strip_tags(self.body_html)
        self.summary = Truncator(" ".join(text.split())).chars(300)
        updates = list(self.updates.all()) if self.pk else []
        self.updates_top_html = render_updates(u for u in updates if u.is_on_top)
        self.updates_appended_html = render_updates(u for u in updates if not u.is_on_top)
        self.last_updated_at = max((u.timestamp for u in updates), default=None)

    def cited_quotation_ids(self, updates=None):
        """Quotations embedded in the body and updates, and those within them."""
        if updates is None:
            updates = list(self.updates.all()) if self.pk else []
        texts = [self.body, *(u.body for u in updates)]
        ids = set(markup.quotation_ids("\n".join(texts)))
        inner = set(Quotation.objects.filter(within__in=ids).values_list("pk", flat=True))
        return ids | inner

    def record_citations(self):
        cited = self.cited_quotation_ids()
        existing = set(
            cited and Quotation.objects.filter(pk__in=cited).values_list("pk", flat=True)
        )
        self.quotations.set(existing)

    def refresh_comments(self):
        """Render the approved comments into the stored block and count; saving tells caches."""
        comments = list(self.comments.approved().order_by("submitted_at", "pk"))
        self.comments_html = "\n".join(
            render_to_string("blog/comment.html", {"comment": c}).strip() for c in comments
        )
        self.comment_count = len(comments)
        self.render_fragments()  # the byline counts the comments
        self.save(update_fields=["comments_html", "comment_count", "modified_at", *FRAGMENTS])

    def render_fragments(self, tags=None, quotations=None):
        """Put the page together: the sources quoted, the article and the head (no markdown)."""
        from .structured_data import post_json_ld

        if tags is None:
            tags = list(self.tags.all()) if self.pk else []
        if quotations is None:
            quotations = list(
                Quotation.objects.with_attribution()
                .filter(pk__in=self.cited_quotation_ids())
                .order_by("pk")
            )
        sources = {q.source_id: q.source for q in quotations}
        self.sources_html = render_to_string(
            "blog/post_sources.html", {"sources": list(sources.values())}
        ).strip()
        context = {"post": self, "tags": tags}
        self.listing_html = render_to_string("blog/_post.html", context).strip()
        self.article_html = render_to_string("blog/_post.html", {**context, "detail": True})
        self.head_html = render_to_string(
            "blog/_post_head.html",
            {
                **context,
                "site": SITE_MARKER,
                "blog_title": settings.BLOG_TITLE,
                "structured_data": post_json_ld(self, SITE_MARKER, tags, quotations),
            },
        ).strip()

    def refresh_fragments(self):
        self.render_fragments()
        self.save(update_fields=["modified_at", *FRAGMENTS])

    def head_for(self, site):
        """The stored <head> metadata with absolute URLs on `site` (scheme://host)."""
        return self.head_html.replace(SITE_MARKER, site)

    def rerender_all(self):
        """Render the updates and the post again, after a quotation they show changed."""
        for update in self.updates.all():
            update.body_html = update.render_body()
            Update.objects.filter(pk=update.pk).update(body_html=update.body_html)
        self.save()


class Citation(models.Model):
    """A quotation shown in a post. Protects the quotation from deletion while cited."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    quotation = models.ForeignKey(Quotation, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "quotation"], name="unique_citation")
        ]

    def __str__(self):
        return f"{self.post} cites {self.quotation_id}"


class Update(models.Model):
    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        CORRECTION = "correction", "Correction"

    class Placement(models.TextChoices):
        APPENDED = "appended", "After the post"
        TOP = "top", "On top of the post"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="updates")
    body = models.TextField(help_text="Markdown; quotation codes work here too.")
    timestamp = models.DateTimeField(
        default=timezone.now, help_text="Shown with the update; readers see when it was added."
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.UPDATE)
    placement = models.CharField(
        max_length=10, choices=Placement.choices, default=Placement.APPENDED
    )
    body_html = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["timestamp", "pk"]

    def __str__(self):
        when = timezone.localtime(self.timestamp)
        return f"{self.get_kind_display()} of {when:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.body_html = self.render_body()
        super().save(*args, **kwargs)
        self.post.save()  # the post keeps its updates rendered and joined

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#update-{self.pk}"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.post.save()
        return result

    @property
    def is_on_top(self):
        return self.placement == self.Placement.TOP

    def render_body(self):
        return markup.render_markdown(self.body)


def render_updates(updates):
    return "\n".join(
        render_to_string("blog/update.html", {"update": update}).strip() for update in updates
    )


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """The one definition of a public comment: pages, counts and feeds use this."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(max_length=100)
    email = models.EmailField(help_text="Never shown on the site.")
    url = models.URLField("website", max_length=200, blank=True)
    text = models.TextField(
        max_length=5000, help_text="Plain text; web addresses become links (nofollow)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    note = models.CharField(
        "moderation note",
        max_length=200,
        blank=True,
        help_text="Why the rules held it, approved it or sent it to spam.",
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_comments",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Rendered on save by the markup pipeline's comment allow-list.
    text_html = models.TextField(editable=False, default="")

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),  # the moderation queue
            models.Index(fields=["post", "status", "submitted_at"]),  # the post's block
            models.Index(fields=["email", "status"]),  # "approved before?"
        ]
        permissions = [("moderate_comment", "Can approve, reject or mark comments as spam")]

    def __str__(self):
        return f"{self.name} on {self.post}"

    def save(self, *args, **kwargs):
        self.text_html = markup.render_comment(self.text)
        super().save(*args, **kwargs)
        if self.is_public or getattr(self, "was_public", False):
            self.post.refresh_comments()
        self.was_public = self.is_public

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        if getattr(self, "was_public", False):
            self.post.refresh_comments()
        return result

    @property
    def is_public(self):
        return self.status == self.Status.APPROVED

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remembered so that saving or deleting a once-public comment refreshes the post.
        instance.was_public = instance.__dict__.get("status") == cls.Status.APPROVED
        return instance
