import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

import freshness
import redirects
from freshness.rules import page_key
from ops.reversing import reverse_cached
from quotes.models import Quotation

from .tag import Tag

# Stands for the site's address in stored HTML (the .invalid domain exists nowhere), so the
# same stored page serves whatever SITE_URL or host the request comes in on.
SITE_MARKER = "https://site.invalid"
# Raise when templates or the markup pipeline change what stored pages hold: every post
# rendered with an older version is then stale, rendered again on read and by the worker.
# 2: search documents include the quotations shown; 3: summaries keep inline quotations'
# marks, entities decoded, and JSON-LD describes anonymous speakers with creditText
RENDER_VERSION = 4

# What editors write. A save writes these and nothing else: every other column is derived
# by blog/rendering.py from the rows as they are (see freshness/), so a save never puts
# back a stale copy of a column someone else derived meanwhile.
EDITOR_FIELDS = [
    "title", "slug", "author", "body", "excerpt", "status", "published_at", "published_on",
    "comments_open", "modified_at",
]  # fmt: skip
# Written by blog/rendering.py, never by an editor: kept out of the revisions.
DERIVED_FIELDS = [
    "body_html", "summary", "updates_top_html", "updates_appended_html", "sources_html",
    "last_updated_at", "comments_html", "comment_count", "article_html", "listing_html",
    "line_html", "head_html", "cache_keys", "rendered_with",
]  # fmt: skip
# What the post page reads: one row, nothing else.
PAGE_FIELDS = [
    "title", "slug", "status", "published_at", "summary", "comments_open",
    "comment_count", "comments_html", "article_html", "head_html", "cache_keys",
    "rendered_with",
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


def post_path(slug, published_at):
    """The address of a post: /year/month/day/slug/ by its local day."""
    return reverse_cached("blog:post", *post_path_args(local_date(published_at), slug))


def post_path_args(day, slug):
    """The arguments of the "blog:post" pattern for a post of local day `day`."""
    return f"{day.year}", f"{day.month:02d}", f"{day.day:02d}", slug


class PostQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one definition of public: published, and its time has come (no cron job).
        `now` for a prepared query (ops/prepared.py), which takes every moment as a value."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def unpublished(self, now=None):
        """Everything `published()` leaves out, drafts and scheduled posts, as ranges of the
        (status, published_at) index: a blog has few of them, a list may count them apart."""
        held = [status for status in Post.Status.values if status != Post.Status.PUBLISHED]
        scheduled = Q(status=Post.Status.PUBLISHED, published_at__gt=now or timezone.now())
        return self.filter(Q(status__in=held) | scheduled)

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

    def due_between(self, start, end):
        """Page-cache keys of what changed by the clock alone in epoch seconds (start, end]:
        posts that appeared, and posts whose comments closed by age."""
        start, end = (datetime.datetime.fromtimestamp(t, datetime.UTC) for t in (start, end))
        published = self.filter(status=Post.Status.PUBLISHED)
        keys = set()
        for pk, shown in published.filter(
            published_at__gt=start, published_at__lte=end
        ).values_list("pk", "cache_keys"):
            keys |= {f"post:{pk}", *(page_key(key) for key in shown.split())}
        if days := settings.COMMENTS_CLOSE_AFTER_DAYS:
            open_for = datetime.timedelta(days=days)
            closing = published.filter(
                comments_open=True,
                published_at__gt=start - open_for,
                published_at__lte=end - open_for,
            )
            keys |= {f"post:{pk}" for pk in closing.values_list("pk", flat=True)}
        return keys

    def next_timed_change(self):
        """When the next scheduled post appears or comments close by age, or None."""
        now = timezone.now()
        published = self.filter(status=Post.Status.PUBLISHED).order_by("published_at")
        times = [
            published.filter(published_at__gt=now).values_list("published_at", flat=True).first()
        ]
        if days := settings.COMMENTS_CLOSE_AFTER_DAYS:
            open_for = datetime.timedelta(days=days)
            closing = (
                published.filter(comments_open=True, published_at__gt=now - open_for)
                .values_list("published_at", flat=True)
                .first()
            )
            times.append(closing and closing + open_for)
        return min(filter(None, times), default=None)

    def for_listing(self):
        """What the front page shows: each post's stored listing, and its date."""
        return self.only("listing_html", "published_at", "cache_keys", "rendered_with")


class Post(freshness.TracksChanges, models.Model):
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

    # Derived by blog/rendering.py (never by a save), so a page view renders no markdown.
    body_html = models.TextField(editable=False, default="")
    summary = models.TextField(editable=False, default="")
    updates_top_html = models.TextField(editable=False, default="")
    updates_appended_html = models.TextField(editable=False, default="")
    sources_html = models.TextField(editable=False, default="")
    last_updated_at = models.DateTimeField(editable=False, null=True)
    # The approved comments' stored HTML joined when one is approved, changed or removed, so
    # the page costs no query and no date formatting per comment.
    comments_html = models.TextField(editable=False, default="")
    comment_count = models.PositiveIntegerField(editable=False, default=0)
    # The page itself, put together from the pieces above when any of them changes: the
    # article as the post page and as the front page show it, and the <head> metadata
    # (OpenGraph, JSON-LD), whose absolute URLs start with SITE_MARKER.
    article_html = models.TextField(editable=False, default="")
    listing_html = models.TextField(editable=False, default="")
    # The post as a line of a list (tag, archive, search, "posts quoting this"): its linked
    # title and date, so a list of 50 is 50 stored strings rather than 50 template renders.
    line_html = models.TextField(editable=False, default="")
    head_html = models.TextField(editable=False, default="")
    # What the stored page shows, as page-cache keys ("post:12 speaker:5 ..."), and the
    # blog.rendering.RENDER_VERSION it was rendered with: 0 marks it stale (freshness/).
    cache_keys = models.TextField(editable=False, default="")
    rendered_with = models.PositiveIntegerField(editable=False, default=0, db_index=True)

    objects = PostQuerySet.as_manager()
    tracked_fields = [name for name in EDITOR_FIELDS if name not in {"published_on", "modified_at"}]
    # Every save is a revision of what editors write (revisions/); the derived columns are
    # rewritten by the renderers with UPDATE, which records nothing.
    history = HistoricalRecords(excluded_fields=DERIVED_FIELDS)

    class Meta:
        ordering = ["-published_at"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["slug", "published_at"]),
            # Archives: a range of local days, newest first, counted by day (blog/archives.py).
            models.Index(fields=["status", "published_on", "published_at"]),
            # The admin's list of every post, newest first (the admin adds -pk): a page is
            # read in index order; without it 100,000 posts were sorted for each page.
            models.Index(fields=["-published_at", "-id"], name="post_newest_first"),
            # The admin's date drill-down: the first and last day and the years, read from
            # an index rather than the table.
            models.Index(fields=["published_on"], name="post_published_on"),
            # A sitemap section's page of posts, by id range, with everything it prints: read
            # from this index alone, where the rows (wide with their stored pages) cost a
            # page read each 3 or 4 posts (blog/sitemaps.py).
            models.Index(
                fields=["id", "status", "published_at", "last_updated_at", "published_on", "slug"],
                name="post_sitemap",
            ),
        ]
        # Without it an editor's posts are signed by the editor (blog/admin.py).
        permissions = [("sign_as_other_author", "Can sign posts as another author")]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "published_on"],
                name="post_slug_unique_per_local_day",
                violation_error_message="Another post published that day has this slug.",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = self.slug or self.default_slug()
        self.published_on = local_date(self.published_at)
        created = self._state.adding
        if not created and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = EDITOR_FIELDS
        moved_from = None if created else self.public_path_as_loaded()
        super().save(*args, **kwargs)
        if moved_from and moved_from != self.get_absolute_url():
            redirects.record(moved_from, self.get_absolute_url(), "post slug or date changed")
        freshness.changed(self, created=created, fields=self.changed_fields(created))
        self.remember_saved()

    def get_absolute_url(self):
        return post_path(self.slug, self.published_at)

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

    def public_path_as_loaded(self):
        """The address the post was published at before this save, or None if it was not
        public (a draft's address was never given out)."""
        loaded = getattr(self, "_loaded", {})
        if loaded.get("status") != self.Status.PUBLISHED or "slug" not in loaded:
            return None
        when = loaded.get("published_at")
        if when is None or when > timezone.now():
            return None
        return post_path(loaded["slug"], when)

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

    def head_for(self, site):
        """The stored <head> metadata with absolute URLs on `site` (scheme://host)."""
        return self.head_html.replace(SITE_MARKER, site)

    @property
    def is_stale(self):
        """True when the stored page is older than what it shows (see freshness/)."""
        return self.rendered_with != RENDER_VERSION


def listed_at(post):
    """When `post` appears in lists of posts: its publication time while published."""
    return post.published_at if post.status == Post.Status.PUBLISHED else None


def copied(model, **options):
    """A copy of another row's key, kept up to date by blog/rendering.py: no constraint (the
    row it names may be gone until the post is rendered again) and no reverse accessor."""
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", **options,
    )  # fmt: skip


class Citation(models.Model):
    """A quotation shown in a post. Protects the quotation from deletion while cited.

    Each row also carries copies of its quotation's speaker and source and of its post's
    place in lists (`listed_at`), written by blog/rendering.py whenever the post renders:
    "posts quoting" a speaker, source or quotation is then one index range of the newest
    citations (blog/quotation_pages.py), not a walk of every newer post probing its
    citations. Everything that changes them renders the post again (freshness/rules.py).
    """

    # No index of a key alone: each leads one of the indexes below (a million rows at
    # 100,000 posts, each written to five indexes rather than nine).
    post = models.ForeignKey(Post, on_delete=models.CASCADE, db_index=False)
    quotation = models.ForeignKey(Quotation, on_delete=models.PROTECT, db_index=False)
    speaker = copied("quotes.Speaker", db_index=False)
    source = copied("quotes.Source", db_index=False)
    listed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Also the index of a post's citations.
            models.UniqueConstraint(fields=["post", "quotation"], name="unique_citation")
        ]
        # The "posts quoting" lists, newest first, and every lookup by quotation, speaker
        # or source (a rename finds the citing posts, drafts too, by the same index).
        indexes = [
            models.Index(fields=[field, "-listed_at", "-post"], name=f"citation_{field}_newest")
            for field in ["speaker", "source", "quotation"]
        ]

    def __str__(self):
        return f"{self.post} cites {self.quotation_id}"


def record_public_from(quotation_ids):
    """Copy onto each of `quotation_ids` the earliest `listed_at` of its citations, when the
    first post citing it appears (None while none is listed): Quotation.objects.public reads
    it from the quotation's own row. Called in the transaction of every change to citations
    (blog/rendering.py, a post's deletion, an excerpt's protection). Only the rows whose copy
    differs are written, so a render that changes no one's public state locks no quotation."""
    if not quotation_ids:
        return
    earliest = Subquery(
        Citation.objects.filter(quotation=OuterRef("pk"), listed_at__isnull=False)
        .order_by("listed_at")
        .values("listed_at")[:1]
    )
    rows = Quotation.objects.filter(pk__in=quotation_ids).annotate(earliest=earliest)
    copies = rows.values_list("pk", "public_from", "earliest")
    differing = [pk for pk, copied, earliest_now in copies if copied != earliest_now]
    if differing:
        # Worked out again by the UPDATE itself, not written from the values read above: a
        # citation committed in between is then counted.
        Quotation.objects.filter(pk__in=differing).update(public_from=earliest)


def before_post_deleted(sender, instance, **kwargs):
    """Its citations go with it: remember what it cites (signals, so that a bulk delete too)."""
    instance._cited = list(
        Citation.objects.filter(post=instance.pk).values_list("quotation_id", flat=True)
    )


def after_post_deleted(sender, instance, **kwargs):
    """What it cited may be public no longer, or from a later post's publication only."""
    record_public_from(getattr(instance, "_cited", ()))
