import datetime
import re

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from blog import demo_content as demo
from blog.models import Comment, Post, Tag, Update
from blog.models.post import local_date
from integrity import snapshots, verify
from integrity.models import Snapshot
from quotes.models import Quotation, Source, Speaker

DEMO_AUTHOR = "editor"


def local(parts):
    return timezone.make_aware(datetime.datetime(*parts), timezone.get_current_timezone())


def demo_source_slug(fields):
    return slugify(f"{fields['publisher']} {fields['title']}")[:192]


def find_or_create(model, slug, fields):
    found = model.objects.filter(slug=slug).first()
    return found or model.objects.create(slug=slug, **fields)


class Command(BaseCommand):
    help = "Load the demo blog: the reference post and a dozen more. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        # Each demo record is found by a stable key (its slug, unique, the one the first
        # load gave it; the first quotation of its words), never by a title an editor's
        # duplicate may share: whatever editors add, a second load finds the demo's own.
        speakers = {
            key: find_or_create(Speaker, slugify(fields["name"]), fields)
            for key, fields in demo.SPEAKERS.items()
        }
        sources = {
            key: find_or_create(Source, demo_source_slug(fields), fields)
            for key, fields in demo.SOURCES.items()
        }
        quotations = {}
        for key, fields in demo.QUOTATIONS.items():
            fields = dict(fields, source=sources[fields["source"]])
            if "speaker" in fields:
                fields["speaker"] = speakers[fields["speaker"]]
            if "within" in fields:
                fields["within"] = quotations[fields["within"]]
            same = Quotation.objects.filter(text=fields["text"], source=fields["source"])
            quotations[key] = same.order_by("pk").first() or Quotation.objects.create(**fields)
        misquoted = dict(demo.MISQUOTED, source=sources["nyt-letter"])
        same = Quotation.objects.filter(text=misquoted["text"], source=misquoted["source"])
        if not same.exists():
            Quotation.objects.create(**misquoted)
        author = self.demo_author()
        self.load_snapshots(sources, author)
        created = sum(
            self.load_post(spec, author, quotations)
            for spec in [demo.REFERENCE_POST, *demo.OTHER_POSTS]
        )
        self.stdout.write(
            f"Demo content loaded: {created} new posts, {Post.objects.count()} in all."
        )

    def load_snapshots(self, sources, author):
        """The pasted copies, once each (a snapshot is never edited), and their checks."""
        for key, spec in demo.SNAPSHOTS.items():
            source = sources[key]
            document = spec["text"].encode("utf-8")
            sha256 = Snapshot.digest(document)
            if not Snapshot.objects.filter(source=source, sha256=sha256).exists():
                snapshots.from_editor(source, author, spec["text"], note=spec["note"])
            verify.verify_source(source.pk, render_now=True)

    def demo_author(self):
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_AUTHOR, defaults={"first_name": "The", "last_name": "Editor"}
        )
        if created:
            user.set_unusable_password()
            user.save()
        return user

    def load_post(self, spec, author, quotations):
        """Create the post unless it exists; True when created."""
        published_at = local(spec["published_at"])
        slug = spec.get("slug") or slugify(spec["title"])
        existing = Post.objects.filter(slug=slug, published_on=local_date(published_at))
        if existing.exists():
            return False
        body = re.sub(
            r"\[\[(quote|q):([-\w]+)\]\]",
            lambda m: f"[[{m.group(1)}:{quotations[m.group(2)].pk}]]",
            spec["body"],
        )
        post = Post.objects.create(
            title=spec["title"],
            slug=spec.get("slug", ""),
            author=author,
            body=body,
            status=Post.Status.PUBLISHED,
            published_at=published_at,
        )
        for name in spec.get("tags", []):
            post.tags.add(Tag.objects.get_or_create(name=name)[0])
        for update in spec.get("updates", []):
            Update.objects.create(post=post, **dict(update, timestamp=local(update["timestamp"])))
        for comment in spec.get("comments", []):
            post.comments.create(
                **dict(comment, submitted_at=local(comment["submitted_at"])),
                status=Comment.Status.APPROVED,
            )
        return True
