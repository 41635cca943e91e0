"""Fetch sources and verify their quotations now, synchronously (operators, cron, tests).

manage.py checksources                  every source with an address
manage.py checksources --source 12      one source
manage.py checksources --due            those whose next link check is due (cron)
"""

from django.core.management.base import BaseCommand, CommandError

from integrity import checks
from quotes.models import Source


class Command(BaseCommand):
    help = "Fetch sources now, keep snapshots, verify their quotations, record link states."

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, help="Only the source with this id.")
        parser.add_argument(
            "--due", action="store_true", help="Only sources whose next check is due."
        )
        parser.add_argument(
            "--limit", type=int, default=500, help="With --due: at most this many sources."
        )
        parser.add_argument(
            "--allow-loopback",
            action="store_true",
            help="Fetch from 127.0.0.1 / ::1 too (local test servers).",
        )

    def handle(self, *args, source=None, due=False, limit=500, allow_loopback=False, **options):
        if source is not None:
            sources = list(Source.objects.filter(pk=source))
            if not sources:
                raise CommandError(f"No source with id {source}.")
            if not sources[0].url:
                raise CommandError(f"Source {source} has no URL to fetch.")
        elif due:
            sources = checks.due_sources(limit=limit)
        else:
            sources = Source.objects.exclude(url="").order_by("pk").iterator(chunk_size=200)
        checked = 0
        for item in sources:
            check = checks.check_source(item, allow_loopback=allow_loopback)
            checked += 1
            line = (
                f"{item.pk} {item.url}: {check.get_state_display()} ({check.get_outcome_display()}"
            )
            line += f", {check.detail})" if check.detail else ")"
            self.stdout.write(line)
        self.stdout.write(f"{checked} source(s) checked.")
