from django.core.management import call_command
from django.core.management.base import BaseCommand

# Not content: made again by `migrate` (content types, permissions), or passing state
# (sessions, the job queue, login attempts). Everything else is in the dump.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "django_tasks_database", "axes"]


class Command(BaseCommand):
    help = (
        "Write the whole blog (posts, updates, revisions, quotations, speakers, sources, "
        "tags, comments and their moderation history, redirects, users and groups) to FILE "
        "as JSON with natural keys; FILE.gz, .bz2 or .xz is compressed. Portable between "
        "SQLite and PostgreSQL; `manage.py restore FILE` loads it into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        call_command(
            "dumpdata", natural_foreign=True, natural_primary=True, exclude=EXCLUDED,
            output=file, verbosity=0,
        )  # fmt: skip
        self.stdout.write(f"Wrote {file}.")
