import datetime
import re

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from blog import demo_content as demo
from blog.models import Comment, Post, Tag, Update
from integrity import snapshots, verify
from integrity.models import Snapshot
from quotes.models import Quotation, Source, Speaker

DEMO_AUTHOR = "editor"


def local(parts):
    return timezone.make_aware(datetime.datetime(*parts), timezone.get_current_timezone())


class Command(BaseCommand):
    help = "Load the demo blog: the reference post and a dozen more. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        speakers = {
            key: Speaker.objects.get_or_create(name=fields["name"], defaults=fields)[0]
            for key, fields in demo.SPEAKERS.items()
        }
        sources = {
            key: Source.objects.get_or_create(
                title=fields["title"], publisher=fields["publisher"], defaults=fields
            )[0]
            for key, fields in demo.SOURCES.items()
        }
        quotations = {}
        for key, fields in demo.QUOTATIONS.items():
            fields = dict(fields, source=sources[fields["source"]])
            if "speaker" in fields:
                fields["speaker"] = speakers[fields["speaker"]]
            if "within" in fields:
                fields["within"] = quotations[fields["within"]]
            quotations[key], _ = Quotation.objects.get_or_create(
                text=fields.pop("text"), source=fields["source"], defaults=fields
            )
        misquoted = dict(demo.MISQUOTED, source=sources["nyt-letter"])
        Quotation.objects.get_or_create(
            text=misquoted.pop("text"), source=misquoted["source"], defaults=misquoted
        )
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
        existing = Post.objects.filter(title=spec["title"], published_at=published_at)
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
