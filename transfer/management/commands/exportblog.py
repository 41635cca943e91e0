from django.conf import settings
from django.core.management.base import BaseCommand

from transfer import export


class Command(BaseCommand):
    help = (
        "Export the whole blog to stdout (or --output): JSON Lines, this blog's own format "
        "(docs/export-format.md), or WordPress WXR 1.2. Streamed: memory stays flat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "wxr"], default="json")
        parser.add_argument("--output", help="A file to write; stdout by default.")

    def handle(self, format, output, **options):
        out = open(output, "w", encoding="utf-8") if output else self.stdout  # noqa: SIM115
        try:
            if format == "json":
                export.write_json(out)
            else:
                export.write_wxr(out, site=getattr(settings, "SITE_URL", ""))
        finally:
            if output:
                out.close()
