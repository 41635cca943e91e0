from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from blog.models import Post
from freshness.tasks import enqueue_rendering
from quotes.models import Quotation, Source, Speaker


class Command(BaseCommand):
    help = (
        "Load a `manage.py backup` FILE into an EMPTY database (migrated first, if need be), "
        "all or nothing, then render every stored page again from the restored rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="Leave the rendering to the worker (pages render on read meanwhile): for a "
            "large site, to serve sooner.",
        )

    def handle(self, *args, file, in_background, **options):
        call_command("migrate", interactive=False, verbosity=0)
        holding = [m.__name__ for m in (Post, Quotation, Speaker, Source, get_user_model())
                   if m.objects.exists()]  # fmt: skip
        if holding:
            raise CommandError(
                f"The database is not empty (it has {', '.join(holding)} rows): restore into "
                "a new, empty database, then point DATABASE_URL at it."
            )
        with transaction.atomic():  # all or nothing
            call_command("loaddata", file, verbosity=0)
            # Loading sets a post's tags before its updates are in, and setting tags renders
            # the post: every stored page is derived again, from the rows as restored.
            Post.objects.update(rendered_with=0)
            Quotation.objects.update(rendered_with=0)
            transaction.on_commit(enqueue_rendering)
        if not in_background:
            call_command("rerender", "--stale", verbosity=0)
        self.stdout.write(f"Restored {Post.objects.count()} posts from {file}.")
