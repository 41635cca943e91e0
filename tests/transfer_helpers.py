"""Helpers of the import/export tests (tests/test_transfer_*.py)."""

import io
from html.parser import HTMLParser
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from blog.models import Comment, Post, Tag, Update
from quotes.models import Quotation, Source, Speaker
from redirects.models import Redirect
from transfer.models import ImportedItem

DATA = Path(__file__).parent / "data"
ATOM = "{http://www.w3.org/2005/Atom}"
MODELS = [Post, Comment, Tag, Update, Quotation, Source, Speaker, Redirect, ImportedItem]


def run_import(path, *args):
    """importblog through call_command; returns what it printed."""
    out = io.StringIO()
    call_command("importblog", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot():
    """Every row the importer may write, as comparable values."""
    rows = {model.__name__: sorted(map(repr, model.objects.values())) for model in MODELS}
    rows["users"] = sorted(get_user_model().objects.values_list("username", flat=True))
    return rows


def empty_database():
    """`manage.py flush` inside the test's transaction. PostgreSQL refuses to TRUNCATE a
    table with deferred foreign-key checks pending: run them first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def nothing_written(users_before=0):
    counts = {model.__name__: model.objects.count() for model in MODELS}
    assert counts == dict.fromkeys(counts, 0)
    assert get_user_model().objects.count() == users_before


class TextOf(HTMLParser):
    """The visible text of a page: what a reader reads, without scripts and attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in {"script", "style"}

    def handle_endtag(self, tag):
        self.skipping -= tag in {"script", "style"}

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(" ".join(data.split()))


def page_text(content):
    parser = TextOf()
    parser.feed(content.decode())
    return "\n".join(parser.parts)
