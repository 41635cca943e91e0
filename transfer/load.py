"""Items -> rows: one transaction per run (any error: nothing written), idempotent (each
item's key is kept in ImportedItem and a second run skips it), and no render per row:
the rows are created stale and the freshness job renders them (see defer_rendering)."""

import collections
import ipaddress
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

import freshness
import redirects
from blog.models import Comment, Post, Tag
from blog.models.post import local_date
from freshness import tasks
from quotes import duplicates
from quotes.models import Quotation, Source, Speaker

from . import bodies
from .items import CommentItem, PostItem
from .models import ImportedItem
from .read import ImportFailed

ID_CACHE = 20_000  # keys -> ids kept in memory


class DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


class Loader:
    def __init__(self, label):
        self.label = label  # "Blogger", "WordPress"...: the redirects' note
        self.counts = collections.Counter()
        self.lines = []  # the report's lines about single items
        self.ids = {}  # key -> object id, for what this run created or found
        self.users, self.tags, self.speakers, self.sources = {}, {}, {}, {}
        # Comments whose post or parent comes later in the file, by the key they wait for.
        self.waiting = collections.defaultdict(list)

    def run(self, items, dry_run=False):
        """Load every item in one transaction; returns the report. Raises ImportFailed."""
        try:
            with transaction.atomic(), freshness.batch() as batch:
                for item in read_safely(items):
                    self.add(item)
                self.report_waiting()
                defer_rendering(batch, self.counts)
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        return self.report(dry_run)

    def add(self, item):
        try:
            if isinstance(item, PostItem):
                self.add_post(item)
            elif isinstance(item, CommentItem):
                self.add_comment(item)
            else:
                item.load(self)  # our own export's records (native.py)
        except ImportFailed:
            raise
        except Exception as error:  # any failure names the item; the transaction is undone
            name = getattr(item, "title", "") or getattr(item, "name", "")
            raise ImportFailed(
                f"Stopped at {type(item).__name__.removesuffix('Item').lower()} "
                f"“{name[:80]}” ({item.key}): {error}. Nothing was imported."
            ) from error

    def known(self, key):
        if len(self.ids) > ID_CACHE:
            self.ids.clear()  # bounded memory; ImportedItem (in this transaction) has them all
        if key not in self.ids:
            found = ImportedItem.objects.filter(key=key).values_list("object_id", flat=True)
            self.ids[key] = found.first()
        return self.ids[key]

    def remember(self, key, kind, obj):
        ImportedItem.objects.create(key=key, kind=kind, object_id=obj.pk)
        self.ids[key] = obj.pk
        for item in self.waiting.pop(key, []):
            self.add_comment(item)

    def add_post(self, item):
        if self.known(item.key):
            self.counts["already imported"] += 1
            return
        body = item.body
        if body is None:
            pieces = bodies.parts(item.html)
            body = bodies.body(pieces, lambda found: self.quotation(found, item).pk)
        post = Post(
            title=item.title[:200] or "(untitled)",
            author=self.user(item.author),
            body=body,
            excerpt=item.excerpt,
            status=Post.Status.DRAFT if item.draft else Post.Status.PUBLISHED,
            published_at=item.published_at,
            comments_open=item.comments_open,
        )
        post.slug = self.free_slug(item.slug or item.title, post.published_at)
        post.save()
        if item.updated_at:  # when it was last edited there (save() stamps now)
            Post.objects.filter(pk=post.pk).update(modified_at=item.updated_at)
        if item.tags:
            post.tags.add(*(self.tag(name) for name in item.tags))
        self.remember(item.key, item.kind, post)
        self.counts[f"{item.kind}s"] += 1
        self.counts["drafts"] += item.draft
        if item.report:
            self.lines.append(item.report)
        if item.old_path and not item.draft:
            new = post.get_absolute_url()
            if redirects.record(item.old_path, new, f"Imported from {self.label}"):
                self.counts["redirects"] += 1

    def free_slug(self, text, published_at):
        base = slugify(text)[:190] or slugify(text, allow_unicode=True)[:190] or "post"
        day, slug, n = local_date(published_at), base, 2
        while Post.objects.filter(slug=slug, published_on=day).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def user(self, person):
        username = (person.login or slugify(person.name) or "author")[:150]
        if username not in self.users:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                user = get_user_model()(
                    username=username, first_name=person.name[:150],
                    last_name=person.last_name[:150], email=person.email, is_active=False,
                )  # fmt: skip
                user.set_unusable_password()  # an author, not a login: staff give access
                user.save()
                self.counts["authors"] += 1
            self.users[username] = user
        return self.users[username]

    def tag(self, name):
        slug = (slugify(name) or slugify(name, allow_unicode=True) or "tag")[:100]
        if slug not in self.tags:
            tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
            if tag is None:
                tag = Tag.objects.create(name=name[:100], slug=slug)
                self.counts["tags"] += 1
            self.tags[slug] = tag
        return self.tags[slug]

    def quotation(self, found, item):
        """A proposed quotation (needs review) for a blockquote found in `item`."""
        speaker = None
        if found.speaker:
            name = found.speaker[:200]
            if name not in self.speakers:  # an existing one whose name folds alike, or new
                similar = duplicates.similar_speakers(name)
                self.speakers[name] = similar[0] if similar else Speaker.objects.create(name=name)
            speaker = self.speakers[name]
        quotation = Quotation.objects.create(
            text=found.text, speaker=speaker, source=self.source(found), needs_review=True
        )
        self.remember(f"{item.key}#quotation-{self.counts['quotations']}", "quotation", quotation)
        self.counts["quotations"] += 1
        return quotation

    def source(self, found):
        address = urlsplit(found.url)
        # Until an editor names it: the address without its scheme reads better.
        where = f"{address.hostname or ''}{address.path}".rstrip("/")
        title = (found.title or where or found.publisher or found.speaker)[:300]
        publisher = (found.publisher or (address.hostname or "").removeprefix("www."))[:200]
        key = (found.url, title, publisher)
        if key not in self.sources:  # the same address, or title and publisher, or new
            similar = duplicates.similar_sources(title, publisher, None, found.url)
            self.sources[key] = (
                similar[0]
                if similar
                else Source.objects.create(title=title, publisher=publisher, url=found.url[:500])
            )
        return self.sources[key]

    def add_comment(self, item):
        if self.known(item.key):
            self.counts["already imported"] += 1
            return
        post_id = self.known(item.post_key)
        parent_id = self.known(item.parent_key) if item.parent_key else None
        if post_id is None or (item.parent_key and parent_id is None):
            self.waiting[item.post_key if post_id is None else item.parent_key].append(item)
            return
        comment = Comment(
            post_id=post_id, name=item.name, email=item.email, url=item.url,
            text=item.text[:5000] or "(empty)", status=item.status,
            submitted_at=item.submitted_at, ip_address=valid_ip(item.ip_address),
            in_reply_to_id=parent_id, user_agent=item.user_agent[:300], note=item.note[:200],
            moderated_at=item.moderated_at,
        )  # fmt: skip
        comment.save()  # its post goes to the batch; defer_rendering marks it stale
        self.remember(item.key, "comment", comment)
        self.counts[f"comments ({item.status})"] += 1

    def report_waiting(self):
        """Comments whose post or parent never came (a trashed post, an attachment)."""
        for item in (item for items in self.waiting.values() for item in items):
            self.lines.append(f"Comment {item.key} skipped: its post or parent is not imported.")
            self.counts["comments skipped"] += 1

    def report(self, dry_run):
        head = "Dry run: nothing was written. It would import:" if dry_run else "Imported:"
        counts = [f"  {name}: {n}" for name, n in sorted(self.counts.items()) if n]
        return "\n".join([head, *(counts or ["  nothing new"]), *self.lines])


def read_safely(items):
    """The reader's items; a reader failing on what it did not foresee stops the import
    with the last item it read named, never with a traceback."""
    last = "the start of the file"
    try:
        for item in items:
            yield item
            last = f"{item.key}"
    except ImportFailed:
        raise
    except Exception as error:
        raise ImportFailed(f"Could not read the item after {last}: {error!r}.") from error


def valid_ip(value):
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def defer_rendering(batch, counts):
    """Rows created here are stale (rendered_with=0) from the start: rather than rendering
    each at the end of the batch, leave them to the render_stale job, enqueued once in this
    transaction. Page-cache purges stay in the batch and run after the commit."""
    # Posts given comments here that were rendered before (an earlier import): stale for
    # the job, an UPDATE per 5,000 (a bounded IN list), not one per comment.
    posts = sorted(batch.render_posts)
    for first in range(0, len(posts), 5000):
        chunk = Post.objects.filter(pk__in=posts[first : first + 5000]).values("pk")
        batch.mark_stale(Post, chunk)
    batch.render_posts.clear()
    batch.render_quotations.clear()
    if counts:
        tasks.enqueue_rendering()
