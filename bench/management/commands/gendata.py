"""Generate a realistic blog for the benchmark, fast.

N posts, each citing 10 quotations (3 new, the rest cited before: popular quotations
recur; most by named speakers, some anonymous, some the source's own words), with 3
updates and 30 approved comments, over 500 speakers and 2,000 sources, about three posts
a day back from today.

Stored HTML comes from the real templates and the real markup pipeline, so pages weigh
what real pages weigh. For speed (10,000 posts in under two minutes on 2 cores): the
pipeline renders pools of paragraphs and comments once, each post's body is composed from
those pieces and its quotations' own stored blocks and then sanitized, chunks of posts are
rendered in worker processes while the main process writes the previous chunk, and rows
are written with explicit ids (the HTML needs them) by bulk inserts.
"""

import datetime
import multiprocessing
import random
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from blog.models import Citation, Comment, Post, Tag, Update, local_date, render_updates
from blog.search import index_posts, index_quotations
from quotes import markup
from quotes.models import Quotation, Source, Speaker

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
QUOTATIONS_PER_POST = 10
NEW_QUOTATIONS_PER_POST = 3
UPDATES_PER_POST = 3
COMMENTS_PER_POST = 30
SPEAKERS = 500
SOURCES = 2000
TAGS = 50
CHUNK = 250
PLACEHOLDER_ID = 987654321

# What the worker processes inherit when they fork (set by the command before forking).
world = {}


class Writer:
    """Random text and rendered pieces, shared by every chunk."""

    def __init__(self, seed):
        self.random = random.Random(seed)

    def sentence(self, low=8, high=20):
        words = self.random.choices(WORDS, k=self.random.randint(low, high))
        return " ".join(words).capitalize() + "."

    def paragraph(self, sentences=3):
        return " ".join(self.sentence() for _ in range(sentences))

    def name(self):
        return f"{self.random.choice(FIRST)} {self.random.choice(LAST)}"


def make_world(seed, total_posts):
    writer = Writer(seed)
    speakers = [
        Speaker(
            id=i,
            name=f"{writer.name()} {i}",
            slug=f"speaker-{i}",
            description=f"{writer.random.choice(['Minister', 'Senator', 'Governor'])} of "
            f"{writer.random.choice(LAST)}land",
        )
        for i in range(1, SPEAKERS + 1)
    ]
    sources = []
    for i in range(1, SOURCES + 1):
        published = datetime.date(2000, 1, 1) + datetime.timedelta(writer.random.randint(0, 9500))
        sources.append(
            Source(
                id=i,
                title=writer.sentence(4, 9)[:-1],
                slug=f"source-{i}",
                publisher=writer.random.choice(PUBLISHERS),
                author=writer.name(),
                kind=writer.random.choice(Source.Kind.values),
                url=f"https://news.example.org/{published:%Y/%m/%d}/story-{i}.html",
                published_on=published,
            )
        )
    paragraphs = [writer.paragraph() for _ in range(300)]
    quote_texts = [writer.paragraph(writer.random.randint(1, 3)) for _ in range(300)]
    update_texts = [writer.paragraph(2) for _ in range(100)]
    comments = []
    for i in range(300):
        text = writer.paragraph(writer.random.randint(1, 4))
        text += " See https://example.org/more" if i % 5 == 0 else ""
        comment = Comment(
            id=PLACEHOLDER_ID,
            name=writer.name(),
            email=f"reader{i}@example.org",
            text=text,
            text_html=markup.render_comment(text),
            status=Comment.Status.APPROVED,
            submitted_at=timezone.now() - datetime.timedelta(minutes=17 * i),
            ip_address="192.0.2.1",
        )
        comments.append((comment, render_to_string("blog/comment.html", {"comment": comment})))
    world.update(
        total=total_posts,
        now=timezone.now(),
        speakers=speakers,
        sources=sources,
        paragraphs={text: markup.render_markdown(text) for text in paragraphs},
        quotes={text: markup.render_markdown(text, embed_quotations=False) for text in quote_texts},
        updates={text: markup.render_markdown(text) for text in update_texts},
        comments=comments,
    )


def make_quotation(writer, pk):
    text = writer.random.choice(list(world["quotes"]))
    quotation = Quotation(id=pk, text=text, source=writer.random.choice(world["sources"]))
    kind = writer.random.random()
    if kind < 0.7:
        quotation.speaker = writer.random.choice(world["speakers"])
        quotation.context = "at a news conference"
    elif kind < 0.85:
        quotation.anonymous_description = "a senior official"
        quotation.anonymity_reason = "not authorized to speak publicly"
    quotation.said_on = quotation.source.published_on
    quotation.text_html = world["quotes"][text]
    text_html = mark_safe(quotation.text_html)  # noqa: S308 - output of the sanitizing pipeline
    context = {"quotation": quotation, "text_html": text_html, "inner": []}
    quotation.block_html = render_to_string("quotes/quotation_block.html", context).strip()
    quotation.inline_html = render_to_string("quotes/quotation_inline.html", context).strip()
    return quotation


def make_chunk(first, count, seed):
    """Posts first+1 .. first+count with everything they show; runs in a worker process."""
    writer = Writer(seed * 100_003 + first)
    total, now = world["total"], world["now"]
    span = datetime.timedelta(days=max(total // 3, 1))
    fresh = [
        make_quotation(writer, first * NEW_QUOTATIONS_PER_POST + k + 1)
        for k in range(count * NEW_QUOTATIONS_PER_POST)
    ]
    posts, updates, comments, citations, tagged = [], [], [], [], []
    for n in range(first + 1, first + count + 1):
        offset = (n - first - 1) * NEW_QUOTATIONS_PER_POST
        picked = fresh[offset : offset + NEW_QUOTATIONS_PER_POST]
        picked += writer.random.sample(fresh, QUOTATIONS_PER_POST - len(picked))
        cited = list({q.pk: q for q in picked}.values())
        published_at = now - span * (n / total) - datetime.timedelta(hours=1)
        body, html = [], []
        for k, quotation in enumerate(cited):
            text = writer.random.choice(list(world["paragraphs"]))
            body.append(text)
            html.append(world["paragraphs"][text])
            if k % 3:
                body.append(f"[[quote:{quotation.pk}]]")
                html.append(quotation.block_html)
            else:
                body.append(f"As reported, [[q:{quotation.pk}]]")
                html.append(f"<p>As reported, {quotation.inline_html}</p>")
        post = Post(
            id=n,
            title=writer.sentence(4, 8)[:-1],
            slug=f"post-{n}",
            author=world["author"],
            body="\n\n".join(body),
            body_html=markup.post_cleaner.clean("\n".join(html)),
            summary=Truncator(body[0]).chars(300),
            status=Post.Status.PUBLISHED,
            published_at=published_at,
            published_on=local_date(published_at),  # bulk_create skips Post.save
        )
        post_updates = []
        for k in range(UPDATES_PER_POST):
            text = writer.random.choice(list(world["updates"]))
            post_updates.append(
                Update(
                    id=(n - 1) * UPDATES_PER_POST + k + 1,
                    post=post,
                    body=text,
                    body_html=world["updates"][text],
                    timestamp=published_at + datetime.timedelta(hours=2 * k + 1),
                    kind=Update.Kind.CORRECTION if k == 2 else Update.Kind.UPDATE,
                    placement=Update.Placement.TOP if k == 0 else Update.Placement.APPENDED,
                )
            )
        post.updates_top_html = render_updates(u for u in post_updates if u.is_on_top)
        post.updates_appended_html = render_updates(u for u in post_updates if not u.is_on_top)
        post.last_updated_at = post_updates[-1].timestamp
        blocks = []
        for k in range(COMMENTS_PER_POST):
            pk = (n - 1) * COMMENTS_PER_POST + k + 1
            prototype, block = writer.random.choice(world["comments"])
            comments.append((pk, n, prototype))
            blocks.append(block.strip().replace(f"comment-{PLACEHOLDER_ID}", f"comment-{pk}"))
        post.comments_html = "\n".join(blocks)
        post.comment_count = COMMENTS_PER_POST
        tags = writer.random.sample(world["tags"], 2)
        post.render_fragments(tags=tags, quotations=sorted(cited, key=lambda q: q.pk))
        posts.append(post)
        updates += post_updates
        citations += [(n, q.pk) for q in cited]
        tagged += [(n, tag.pk) for tag in tags]
    return fresh, posts, updates, comments, citations, tagged


def make_chunk_from_args(args):
    return make_chunk(*args)


class Command(BaseCommand):
    help = "Fill an empty database with a realistic blog for the benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2009)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, posts, seed, workers, **options):
        if Post.objects.exists() or Quotation.objects.exists():
            raise CommandError(
                "gendata fills an empty database; point DATABASE_URL at a new one first."
            )
        started = time.monotonic()
        author, _ = get_user_model().objects.get_or_create(
            username="bench-editor", defaults={"first_name": "Bench", "last_name": "Editor"}
        )
        make_world(seed, posts)
        world["author"] = author
        world["tags"] = [
            Tag(id=i, name=f"Topic {i}", slug=f"topic-{i}") for i in range(1, TAGS + 1)
        ]
        # Workers only render; the main process alone talks to the database.
        connections.close_all()
        chunks = [(first, min(CHUNK, posts - first), seed) for first in range(0, posts, CHUNK)]
        with multiprocessing.get_context("fork").Pool(workers) as pool, transaction.atomic():
            Speaker.objects.bulk_create(world["speakers"])
            Source.objects.bulk_create(world["sources"])
            Tag.objects.bulk_create(world["tags"])
            for done, chunk in enumerate(pool.imap(make_chunk_from_args, chunks), 1):
                self.write(*chunk)
                self.stdout.write(f"  {min(done * CHUNK, posts):>6} posts", ending="\r")
            self.reset_sequences()
            index_posts(None)
            index_quotations(None)
        if connection.vendor == "postgresql":
            # Fresh statistics (and no dead rows from indexing) before anything is measured.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"Generated {posts} posts, {Quotation.objects.count()} quotations, "
            f"{Update.objects.count()} updates, {Comment.objects.count()} comments "
            f"in {time.monotonic() - started:.1f} s."
        )

    def write(self, quotations, posts, updates, comments, citations, tagged):
        Quotation.objects.bulk_create(quotations)
        Post.objects.bulk_create(posts)
        Update.objects.bulk_create(updates)
        # The big tables go in with executemany: Django's per-object insert path is the
        # slowest part of generating otherwise.
        fields = [f for f in Comment._meta.concrete_fields if f.attname not in {"id", "post_id"}]
        self.insert_many(
            Comment,
            ["id", "post_id", *(f.column for f in fields)],
            [
                (
                    pk,
                    post_id,
                    *(f.get_db_prep_save(getattr(c, f.attname), connection) for f in fields),
                )
                for pk, post_id, c in comments
            ],
        )
        self.insert_many(Citation, ["post_id", "quotation_id"], citations)
        self.insert_many(Post.tags.through, ["post_id", "tag_id"], tagged)

    @staticmethod
    def insert_many(model, columns, rows):
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from our models
            quote(model._meta.db_table),
            ", ".join(quote(c) for c in columns),
            ", ".join(["%s"] * len(columns)),
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def reset_sequences(self):
        """Explicit ids leave PostgreSQL's sequences behind; move them past the data."""
        models = [Speaker, Source, Quotation, Tag, Post, Update, Comment, Citation]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
