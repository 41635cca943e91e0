"""Create N published blog posts under the default site's root page.

The text is made as bench/management/commands/gendata.py makes ours (its word lists, random
sentences of 8-20 words): a title, intro and byline, 20 paragraphs with 5 quotations as
blockquotes, each followed by its attribution, two links to earlier posts (Wagtail's own
page links) and 30 readers' comments: about 40 KB of HTML a page, like our post page.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from posts.models import BlogPostPage, PostComment
from wagtail.models import Site

# Copied from bench/management/commands/gendata.py (the anchor cannot import our code).
WORDS = (
    "administration official senate vote budget treaty sanctions missile defense letter "
    "minister talks summit economy policy reform election campaign reporters statement "
    "interview hearing committee proposal agreement security allies trade energy nuclear "
    "program negotiations signal decision record public private press conference week "
    "response critics support opposition measure law court ruling report agency deal"
).split()
FIRST = "Anna Boris Carla David Elena Farid Grace Hiro Ines Jonas Karin Luis Maya Nikolai".split()
LAST = "Abbott Baranov Costa Dubois Eriksen Fischer Garcia Haddad Ivanova Jensen Kim".split()
PUBLISHERS = [
    "The New York Times", "The Washington Post", "Reuters", "Associated Press", "BBC News",
    "The Guardian", "Le Monde", "Der Spiegel", "Al Jazeera", "NPR", "Financial Times",
]  # fmt: skip
PARAGRAPHS = 20
QUOTATION_EVERY = 4  # paragraphs
COMMENTS = 30


class Writer:
    def __init__(self, seed):
        self.random = random.Random(seed)

    def sentence(self, low=8, high=20):
        words = self.random.choices(WORDS, k=self.random.randint(low, high))
        return " ".join(words).capitalize() + "."

    def paragraph(self, sentences=3):
        return " ".join(self.sentence() for _ in range(sentences))

    def name(self):
        return f"{self.random.choice(FIRST)} {self.random.choice(LAST)}"


def body(writer, earlier_ids):
    """Rich text as Wagtail stores it: page links are <a linktype="page" id="…">."""
    parts = []
    for number in range(1, PARAGRAPHS + 1):
        text = writer.paragraph(5)
        if number in (3, 12) and earlier_ids:
            page_id = writer.random.choice(earlier_ids)
            text += f' As <a linktype="page" id="{page_id}">we reported earlier</a>, it goes on.'
        if number == 7:
            text += ' Read <a href="https://news.example.org/story.html">the full story</a>.'
        parts.append(f"<p>{text}</p>")
        if number % QUOTATION_EVERY == 0:
            parts.append(
                f"<blockquote>{writer.paragraph(writer.random.randint(1, 3))}</blockquote>"
            )
            parts.append(
                f"<p>— <b>{writer.name()}</b>, {writer.random.choice(['Minister', 'Senator'])}, "
                f"in <i>{writer.random.choice(PUBLISHERS)}</i></p>"
            )
        if number == 10:
            parts.append(f"<h2>{writer.sentence(3, 7)[:-1]}</h2>")
    return "".join(parts)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, posts, seed, **options):
        root = Site.objects.get(is_default_site=True).root_page
        if BlogPostPage.objects.exists():
            raise CommandError("There are posts already: run this on a fresh database.")
        writer = Writer(seed)
        comment_texts = [writer.paragraph(writer.random.randint(2, 4)) for _ in range(300)]
        created = []  # ids of the posts made so far: later posts link to them
        for chunk in range(0, posts, 100):
            with transaction.atomic():
                comments = []
                for i in range(chunk, min(chunk + 100, posts)):
                    title = writer.sentence(4, 9)[:-1]
                    page = BlogPostPage(
                        title=title,
                        slug=f"{i + 1}-{'-'.join(title.lower().split()[:5])}",
                        date=datetime.date.today() - datetime.timedelta(days=(posts - i) // 3),
                        author=writer.name(),
                        intro=writer.sentence(15, 30),
                        body=body(writer, created[-200:]),
                    )
                    root.add_child(instance=page)
                    root.refresh_from_db()  # treebeard counts children on the parent row
                    created.append(page.id)
                    posted = timezone.now() - datetime.timedelta(days=(posts - i) // 3)
                    comments += [
                        PostComment(
                            page=page,
                            sort_order=n,
                            name=writer.name(),
                            posted_at=posted + datetime.timedelta(minutes=17 * n),
                            text="\n\n".join(writer.random.sample(comment_texts, 2)),
                        )
                        for n in range(COMMENTS)
                    ]
                PostComment.objects.bulk_create(comments)
        self.stdout.write(f"{posts} posts under {root.url_path}")
