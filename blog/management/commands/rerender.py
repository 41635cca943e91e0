import time

from django.core.management.base import BaseCommand, CommandError

from blog.models import Post
from freshness.tasks import render_stale_now
from ops import pagecache
from quotes.models import Quotation


class Command(BaseCommand):
    help = (
        "Render stored pages now, synchronously (the worker does this in the background). "
        "--stale: the posts and quotations marked stale or rendered by an older release; "
        "--all: every one (after changing BLOG_TITLE or a template by hand)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--stale", action="store_true")
        which.add_argument("--missing", action="store_true", help="the same as --stale")
        which.add_argument("--all", action="store_true")

    def handle(self, *args, stale, missing, all, **options):
        if not (stale or missing or all):
            raise CommandError("Say which pages: --stale or --all.")
        if all:
            Quotation.objects.update(rendered_with=0)
            Post.objects.update(rendered_with=0)
        started = time.monotonic()
        rendered, failed, _ = render_stale_now(
            on_progress=lambda n: self.stdout.write(f"  {n} rendered", ending="\r")
        )
        if all:
            pagecache.purge({pagecache.EVERY_PAGE})
        self.stdout.write(
            f"Rendered {rendered} posts and quotations in {time.monotonic() - started:.1f} s."
        )
        if failed:
            raise CommandError(f"{len(failed)} could not be rendered; see the log above.")
