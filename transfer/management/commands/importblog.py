import os
import sys

from django.core.management.base import BaseCommand, CommandError

from transfer.imports import import_file
from transfer.read import ImportFailed


class Command(BaseCommand):
    help = (
        "Import a Blogger export (Atom), a WordPress export (WXR 1.1/1.2) or this blog's "
        "own JSON export; the format is detected. All or nothing; importing again skips "
        "what is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything, write nothing."
        )

    def handle(self, file, dry_run, **options):
        try:
            size = os.path.getsize(file)
            with open(file, "rb") as opened:
                label, report = import_file(opened, dry_run, on_read=ProgressBar(size))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except ImportFailed as error:
            sys.stderr.write("\n")
            message = str(error)
            if "Nothing was imported" not in message:
                message += " Nothing was imported."
            raise CommandError(message) from error
        sys.stderr.write("\n")
        self.stdout.write(f"{label} {file}\n{report}")


class ProgressBar:
    """`[#####-----]  50%` on stderr, redrawn when the percentage moves."""

    def __init__(self, size, width=40, out=sys.stderr):
        self.size, self.width, self.out, self.shown = max(size, 1), width, out, -1

    def __call__(self, done):
        percent = min(100, done * 100 // self.size)
        if percent != self.shown:
            self.shown = percent
            filled = self.width * percent // 100
            self.out.write(f"\r[{'#' * filled}{'-' * (self.width - filled)}] {percent:3d}%")
            self.out.flush()
