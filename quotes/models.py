from urllib.parse import urlsplit

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import (
    BooleanField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify
from simple_history.models import HistoricalRecords

import freshness
import redirects
from ops.reversing import reverse_cached

from . import markup
from .plaintext import html_to_text

# Raise when the quotation templates or the markup pipeline change what quotations store.
RENDER_VERSION = 3  # 3: the anonymity reason as a clause

# Only web addresses: a `javascript:` or `data:` URL never reaches a page.
http_url = URLValidator(schemes=["http", "https"])


PUBLIC_HELP = (
    "Show this on the site now. Otherwise it stays hidden from readers until a published "
    "post quotes it (a draft or scheduled post does not count before it appears)."
)


# Written by quotes/rendering.py (public_from by the posts app), never by an editor: kept out
# of the revisions.
DERIVED_FIELDS = [
    "text_html", "block_html", "inline_html", "rendered_with", "search_document", "public_from",
]  # fmt: skip


class PublicQuerySet(models.QuerySet):
    """One definition of "public" per model (`public_condition`), for every page and feed.

    A quotation is public once a published post cites it (its Citation rows, which include
    quotations inside embedded excerpts) or when an editor marks it public on its own; a
    speaker or source once one of its quotations is, or when marked public itself. Compared
    with the moment at query time: a scheduled post makes its quotations public the moment
    it appears, with no job to run.
    """

    def public(self, now=None):
        """Public at `now` (a prepared query's value, ops/prepared.py), else at this moment."""
        return self.filter(self.public_condition(now))

    def with_public_state(self):
        """Each object with `shown`: whether readers may see it (staff previews use it)."""
        condition = ExpressionWrapper(self.public_condition(), output_field=BooleanField())
        return self.annotate(shown=condition)


def date_label(day):
    return f"{day:%b} {day.day}, {day.year}"


def unique_slug(instance, text, max_length=200):
    """A slug for `text` not yet used by another row of the instance's model."""
    base = slugify(text)[: max_length - 8] or "item"
    slug, n = base, 2
    others = type(instance).objects.exclude(pk=instance.pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class ListedOn(Func):
    """When a quotation was said, or the earliest date when nobody recorded it: undated
    quotations come last in a speaker's newest-first list on every database (NULLs sort
    first on PostgreSQL, last on SQLite), and keyset paging gets a key without NULLs. The
    date is written into the SQL, not passed as a parameter, so the query's expression is
    the one the index (Quotation.Meta) holds and the database can use it."""

    template = "COALESCE(%(expressions)s, '0001-01-01')"
    arity = 1
    output_field = DateField()


class SourceQuerySet(PublicQuerySet):
    def public_condition(self, now=None):
        quotations = Quotation.objects.public(now).filter(source=OuterRef("pk"))
        return Q(is_public=True) | Exists(quotations)


class SpeakerQuerySet(PublicQuerySet):
    def public_condition(self, now=None):
        quotations = Quotation.objects.public(now).filter(speaker=OuterRef("pk"))
        return Q(is_public=True) | Exists(quotations)


class Source(freshness.TracksChanges, models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        SPEECH = "speech", "Speech"
        INTERVIEW = "interview", "Interview"
        PRESS_CONFERENCE = "press_conference", "Press conference"
        BROADCAST = "broadcast", "Broadcast"
        DOCUMENT = "document", "Document"
        SOCIAL_POST = "social_post", "Social media post"
        BOOK = "book", "Book"

    title = models.CharField(
        max_length=300, help_text="Headline or title, as published: “Obama Offered Deal…”."
    )
    slug = models.SlugField(
        max_length=200, unique=True, blank=True, help_text="Leave blank to make one from the title."
    )
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published it, e.g. The New York Times."
    )
    author = models.CharField(max_length=200, blank=True, help_text="Byline, e.g. Peter Baker.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    url = models.URLField(
        "URL", max_length=500, blank=True, validators=[http_url], help_text="Where readers find it."
    )
    published_on = models.DateField(null=True, blank=True, help_text="Date of publication.")
    archived_url = models.URLField(
        "archived copy URL",
        max_length=500,
        blank=True,
        validators=[http_url],
        help_text="A copy that will not change or vanish (e.g. a web archive snapshot).",
    )
    accessed_on = models.DateField(null=True, blank=True, help_text="When we last read it.")
    notes = models.TextField(blank=True, help_text="For editors only; never shown.")
    is_public = models.BooleanField("public on its own", default=False, help_text=PUBLIC_HELP)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    tracked_fields = [
        "title", "slug", "publisher", "author", "kind", "url", "published_on", "archived_url",
        "is_public",
    ]  # fmt: skip

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            # The sources page's order, undated last, paged by keyset (blog/quotation_pages.py).
            models.Index(
                models.OrderBy(ListedOn("published_on"), descending=True),
                "title",
                "id",
                name="source_listed",
            ),
        ]

    def __str__(self):
        if self.publisher and self.publisher != self.title:
            return f"{self.title} ({self.publisher})"
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, f"{self.publisher} {self.title}")
        save_and_report(self, *args, **kwargs)

    url_name = "quotes:source"  # its page, by slug

    def get_absolute_url(self):
        return reverse_cached(self.url_name, self.slug)

    def finder_label(self):
        """What tells this source apart in finders: title, publisher, date, web host."""
        details = [self.publisher, self.published_on and date_label(self.published_on)]
        if host := urlsplit(self.url).hostname if self.url else "":
            details.append(host.removeprefix("www."))
        details = ", ".join(filter(None, details))
        return f"{self.title} ({details})" if details else self.title

    @property
    def display_name(self):
        """What a citation shows first: the publisher, else the title."""
        return self.publisher or self.title


class Speaker(freshness.TracksChanges, models.Model):
    name = models.CharField(max_length=200, help_text="Full name, e.g. Dmitri A. Medvedev.")
    slug = models.SlugField(
        max_length=200, unique=True, blank=True, help_text="Leave blank to make one from the name."
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who they are, shown after the name: “President of Russia”.",
    )
    url = models.URLField(
        "link", max_length=500, blank=True, validators=[http_url], help_text="Official page."
    )
    is_public = models.BooleanField("public on its own", default=False, help_text=PUBLIC_HELP)

    objects = SpeakerQuerySet.as_manager()
    history = HistoricalRecords()

    tracked_fields = ["name", "slug", "description", "url", "is_public"]

    class Meta:
        ordering = ["name"]
        # The speakers page's order, paged by keyset (blog/quotation_pages.py).
        indexes = [models.Index(fields=["name", "id"], name="speaker_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        save_and_report(self, *args, **kwargs)

    url_name = "quotes:speaker"  # its page, by slug

    def get_absolute_url(self):
        return reverse_cached(self.url_name, self.slug)

    def finder_label(self):
        """What tells this speaker apart from a namesake: the description."""
        return f"{self.name} — {self.description}" if self.description else self.name


QUOTE_MARKS = "“”\"‘’' "
# Words that open a clause following "not named" directly ("not named because ...").
CLAUSE_OPENERS = {"because", "as", "since", "for", "to", "under", "at", "in", "on", "so"}


class QuotationQuerySet(PublicQuerySet):
    def with_attribution(self):
        return self.select_related("speaker", "source")

    def to_render(self):
        """With their attribution, as renderers and the quotation page read them: without
        the search document, the largest column, which a renderer writes anew and a page
        never shows."""
        return self.with_attribution().defer("search_document")

    def public_condition(self, now=None):
        # `public_from` is the earliest publication time of the posts citing it, copied from
        # its citations by the posts app (blog.models.record_public_from): read from the row
        # itself, where an EXISTS over the citations was an index probe per quotation.
        return Q(is_public=True) | Q(public_from__lte=now or timezone.now())


class Quotation(freshness.TracksChanges, models.Model):
    text = models.TextField(
        "words",
        help_text="The words exactly as said or published (markdown; paragraphs allowed). "
        "Leave out the quotation marks around them.",
    )
    # No index of the speaker or source alone: each leads the list indexes in Meta.
    speaker = models.ForeignKey(
        Speaker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="quotations",
        help_text="Who said it. Leave empty for an anonymous speaker or for the source's "
        "own words.",
    )
    anonymous_description = models.CharField(
        max_length=200,
        blank=True,
        help_text="For an unnamed speaker: how the source describes them, "
        "e.g. “a senior administration official”.",
    )
    anonymity_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why the speaker is not named, as the source gives it: a lower-case "
        "clause that follows “not named”, e.g. “because the letter had not been made public”.",
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="quotations",
        help_text="Where the words were published or reported.",
    )
    within = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inner_quotations",
        verbose_name="part of excerpt",
        help_text="The longer excerpt these words appear in, if any: the excerpt then "
        "lists them with their speaker.",
    )
    context = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where or how it was said: “at a news conference in Madrid”.",
    )
    said_on = models.DateField(
        null=True, blank=True, help_text="When it was said, if not the source's date."
    )
    locator = models.CharField(
        max_length=100, blank=True, help_text="Page, paragraph or timestamp within the source."
    )
    translation_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="If these words are a translation: from what, and by whom.",
    )
    is_public = models.BooleanField("public on its own", default=False, help_text=PUBLIC_HELP)
    needs_review = models.BooleanField(
        "imported, needs review",
        default=False,
        help_text="Found by an import in a post's blockquote: check the words, speaker and "
        "source, then clear this.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    # Derived by quotes/rendering.py from this row, its speaker, source and the quotations
    # within it; never edited, never rendered per request. rendered_with is the
    # RENDER_VERSION they were rendered with, 0 when stale (see freshness/).
    text_html = models.TextField(editable=False, default="")
    block_html = models.TextField(editable=False, default="")
    inline_html = models.TextField(editable=False, default="")
    rendered_with = models.PositiveIntegerField(editable=False, default=0, db_index=True)
    # PostgreSQL's full-text document: words, speaker, source (kept by the blog's search).
    search_document = SearchVectorField(null=True, editable=False)
    # When the first post citing it was published (or is to be), None while none is: a copy
    # of its citations' earliest listed_at, written by blog.models.record_public_from
    # whenever they change (see QuotationQuerySet.public_condition).
    public_from = models.DateTimeField(null=True, editable=False)

    objects = QuotationQuerySet.as_manager()
    # Revisions of what editors write (revisions/); the renderers' UPDATEs record nothing.
    history = HistoricalRecords(excluded_fields=DERIVED_FIELDS)
    tracked_fields = [
        "text", "speaker", "anonymous_description", "anonymity_reason", "source", "within",
        "context", "said_on", "locator", "translation_note", "is_public",
    ]  # fmt: skip

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["said_on"]),
            # A speaker's page: their quotations newest first (blog/quotation_pages.py).
            models.Index(
                F("speaker"),
                ListedOn("said_on").desc(),
                F("id").desc(),
                name="quotation_speaker_listed",
            ),
            # A source's page: its quotations in the order they were entered.
            models.Index(fields=["source", "id"], name="quotation_source_id"),
            # Their feeds: the newest entered first (blog/quotation_feeds.py), read from
            # the top of the index instead of sorting every quotation of a busy speaker.
            models.Index(
                F("speaker"), F("created_at").desc(), F("id").desc(), name="quotation_speaker_new"
            ),
            models.Index(
                F("source"), F("created_at").desc(), F("id").desc(), name="quotation_source_new"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="quotation_named_or_anonymous",
                condition=models.Q(speaker__isnull=True) | models.Q(anonymous_description=""),
            )
        ]

    def __str__(self):
        # Words that open with the reporter's own quotation mark get no second one.
        words = Truncator(html_to_text(self.text_html) or self.text).words(10).strip('“”"')
        # No marks of its own: the admin's messages put the label in quotation marks.
        return f"{words} — {self.attribution_name}"

    def save(self, *args, **kwargs):
        created = self._state.adding
        if not created and kwargs.get("update_fields") is None:
            # Editors' fields only: the rendered ones belong to quotes/rendering.py.
            kwargs["update_fields"] = [*self.tracked_fields, "modified_at"]
        save_and_report(self, *args, **kwargs)

    def get_absolute_url(self):
        return reverse_cached("quotes:quotation", self.pk)

    def clean(self):
        if self.speaker_id and self.anonymous_description:
            # A field error: the form then skips the database constraint's own message.
            raise ValidationError(
                {
                    "anonymous_description": "A quotation is either by a named speaker or by "
                    "an anonymous one: clear the speaker or this description."
                }
            )
        if self.anonymity_reason and not self.anonymous_description:
            raise ValidationError(
                {"anonymous_description": "Describe the anonymous speaker, as the source does."}
            )
        if self.within_id:
            self.check_part_of()
        if markup.quotation_ids(self.text):
            raise ValidationError({"text": "Quotation codes cannot be used inside a quotation."})
        try:
            markup.render_markdown(self.text, embed_quotations=False, limited=True)
        except markup.MarkupError as error:
            raise ValidationError({"text": str(error)}) from error

    def check_part_of(self):
        """The rule for "part of": an excerpt of the same source that is not itself part of
        another, holding only its own speaker's words, and only one level deep (an excerpt
        is never inside another), so no cycle can form."""
        if self.within_id == self.pk:
            raise ValidationError({"within": "A quotation cannot be part of itself."})
        excerpt = Quotation.objects.select_related("speaker", "source").get(pk=self.within_id)
        problems = []
        if self.source_id and excerpt.source_id != self.source_id:
            problems.append(
                f"Quotation #{excerpt.pk} is from “{excerpt.source.title}”, not from this "
                "quotation's source: the excerpt must be from the same source."
            )
        if excerpt.within_id:
            problems.append(
                f"Quotation #{excerpt.pk} is itself part of excerpt #{excerpt.within_id}: "
                f"pick that excerpt (#{excerpt.within_id}) instead."
            )
        if excerpt.speaker_id and excerpt.speaker_id != self.speaker_id:
            problems.append(
                f"Quotation #{excerpt.pk} is {excerpt.speaker.name}'s own words: another "
                "speaker's words cannot be part of it. Pick the source's excerpt instead."
            )
        if self.pk and self.inner_quotations.exists():
            problems.append(
                "This quotation is an excerpt holding other quotations: an excerpt cannot "
                "be part of another one."
            )
        if problems:
            raise ValidationError({"within": problems})

    def finder_label(self):
        """What tells this quotation apart in finders: id, first words, who, where, when."""
        words = Truncator(self.plain_text or self.text).words(8).strip('“”"')
        source = self.source
        label = f"#{self.pk} {words} — {self.attribution_name} · {source.finder_label()}"
        has_inner = getattr(self, "has_inner", None)
        if has_inner is None:
            has_inner = self.pk is not None and self.inner_quotations.exists()
        return f"{label} · excerpt" if has_inner else label

    # Attribution, as every rendering of the quotation shows it.
    @property
    def is_anonymous(self):
        return not self.speaker_id and bool(self.anonymous_description)

    @property
    def attribution_name(self):
        if self.speaker_id:
            return self.speaker.name
        if self.anonymous_description:
            return self.anonymous_description
        return self.source.display_name

    @property
    def anonymity_clause(self):
        """The reason as captions show it after "not named": "because ..." follows at once,
        anything else after a colon; lower-cased, no trailing dash or full stop."""
        reason = " ".join(self.anonymity_reason.split()).strip(" —–-.;,:")
        if not reason:
            return ""
        if len(reason) < 2 or not reason[1].isupper():  # "NYT ..." keeps its capitals
            reason = reason[0].lower() + reason[1:]
        if reason.split()[0] in CLAUSE_OPENERS:
            return reason
        return f": {reason}"

    @property
    def date(self):
        return self.said_on or self.source.published_on

    @property
    def plain_text(self):
        return html_to_text(self.text_html)

    @property
    def unquoted_text(self):
        """The plain text without the marks it opens or closes with: for places that put
        it in quotation marks of their own (titles, lists), never doubling them."""
        return self.plain_text.strip(QUOTE_MARKS)

    @property
    def is_stale(self):
        return self.rendered_with != RENDER_VERSION


def save_and_report(instance, *args, **kwargs):
    """Save, then tell freshness/ which of the fields pages show changed."""
    created = instance._state.adding
    fields = instance.changed_fields(created)
    old_slug = None if created else getattr(instance, "_loaded", {}).get("slug")
    models.Model.save(instance, *args, **kwargs)
    if old_slug and old_slug != instance.slug:
        # Its page moved: the old address answers 301 (quotation pages go by id, not slug).
        old_url = reverse(instance.url_name, args=[old_slug])
        redirects.record(old_url, instance.get_absolute_url(), "slug changed")
    freshness.changed(instance, created=created, fields=fields)
    instance.remember_saved()
