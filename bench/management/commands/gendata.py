"""Generate a realistic blog for the benchmark, then render it with the real renderers.

N posts, each citing 10 quotations (3 new, the rest cited before: popular quotations
recur; most by named speakers, a long tail of them: the busiest is quoted in about a tenth
of the posts, as a president would be; some anonymous, some the source's own words), with 3
updates and 30 approved comments, over 500 speakers and 2,000 sources, about three posts a
day back from today.

The rows are written as editors would have written them (markdown, codes, plain comment
text) and marked stale, by bulk inserts with explicit ids; then every quotation and post is
rendered by quotes/rendering.py and blog/rendering.py, the code the site and its worker run,
in parallel processes. Comments are rendered from a pool of texts by Comment's own code
(their blocks carry their ids, so each pool entry is stamped with the comment's id).
"""

import datetime
import multiprocessing
import random
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.utils import timezone

import freshness
from blog import rendering as post_rendering
from blog.models import Citation, Comment, Post, Tag, Update, local_date
from quotes import markup
from quotes import rendering as quotation_rendering
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
RENDER_CHUNK = 200
RENDER_BATCH = 50  # rows rendered and written together, as the worker does

# What the worker processes inherit when they fork (set by the command before forking).
world = {}


class Writer:
    """Random text, shared by every chunk."""

    def __init__(self, seed):
        self.random = random.Random(seed)

    def sentence(self, low=8, high=20):
        words = self.random.choices(WORDS, k=self.random.randint(low, high))
        return " ".join(words).capitalize() + "."

    def paragraph(self, sentences=3):
        return " ".join(self.sentence() for _ in range(sentences))

    def name(self):
        return f"{self.random.choice(FIRST)} {self.random.choice(LAST)}"


def make_world(seed, total_posts, speaker_count=SPEAKERS):
    writer = Writer(seed)
    speakers = [
        Speaker(
            id=i,
            name=f"{writer.name()} {i}",
            slug=f"speaker-{i}",
            description=f"{writer.random.choice(['Minister', 'Senator', 'Governor'])} of "
            f"{writer.random.choice(LAST)}land",
        )
        for i in range(1, speaker_count + 1)
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
        comment.html = comment.render_block()
        comments.append(comment)
    world.update(
        total=total_posts,
        now=timezone.now(),
        speakers=speakers,
        # A long tail: the first speakers are quoted far more than the rest.
        speaker_weights=[1 / (rank + 15) for rank in range(1, speaker_count + 1)],
        sources=sources,
        paragraphs=[writer.paragraph() for _ in range(300)],
        quotes=[writer.paragraph(writer.random.randint(1, 3)) for _ in range(300)],
        updates=[writer.paragraph(2) for _ in range(100)],
        comments=comments,
    )


def make_quotation(writer, pk):
    quotation = Quotation(
        id=pk,
        text=writer.random.choice(world["quotes"]),
        source=writer.random.choice(world["sources"]),
    )
    kind = writer.random.random()
    if kind < 0.7:
        quotation.speaker = writer.random.choices(world["speakers"], world["speaker_weights"])[0]
        quotation.context = "at a news conference"
    elif kind < 0.85:
        quotation.anonymous_description = "a senior official"
        quotation.anonymity_reason = "not authorized to speak publicly"
    quotation.said_on = quotation.source.published_on
    return quotation


def make_chunk(first, count, seed):
    """Rows for posts first+1 .. first+count, as editors and readers wrote them."""
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
        body = []
        for k, quotation in enumerate(cited):
            body.append(writer.random.choice(world["paragraphs"]))
            body.append(
                f"[[quote:{quotation.pk}]]" if k % 3 else f"As reported, [[q:{quotation.pk}]]"
            )
        post = Post(
            id=n,
            title=writer.sentence(4, 8)[:-1],
            slug=f"post-{n}",
            author=world["author"],
            body="\n\n".join(body),
            status=Post.Status.PUBLISHED,
            published_at=published_at,
            published_on=local_date(published_at),  # bulk_create skips Post.save
        )
        for k in range(UPDATES_PER_POST):
            updates.append(
                Update(
                    id=(n - 1) * UPDATES_PER_POST + k + 1,
                    post=post,
                    body=writer.random.choice(world["updates"]),
                    timestamp=published_at + datetime.timedelta(hours=2 * k + 1),
                    kind=Update.Kind.CORRECTION if k == 2 else Update.Kind.UPDATE,
                    placement=Update.Placement.TOP if k == 0 else Update.Placement.APPENDED,
                )
            )
        per_post = world["comments_per_post"]
        for k in range(per_post):
            comments.append(((n - 1) * per_post + k + 1, n, writer.random.randrange(300)))
        posts.append(post)
        # With the copies rendering keeps on each citation (blog.models.Citation).
        listed_at = Citation._meta.get_field("listed_at").get_db_prep_save(published_at, connection)
        citations += [(n, q.pk, q.speaker_id, q.source_id, listed_at) for q in cited]
        for quotation in cited:  # and the copy of the earliest on each quotation
            if quotation.public_from is None or published_at < quotation.public_from:
                quotation.public_from = published_at
        tagged += [(n, tag.pk) for tag in writer.random.sample(world["tags"], 2)]
    return fresh, posts, updates, comments, citations, tagged


def make_chunk_from_args(args):
    return make_chunk(*args)


def render_ids(args):
    """Render quotations or posts `ids` with the site's own renderers (a worker process)."""
    kind, ids = args
    render = (
        quotation_rendering.render_quotations if kind == "quotes" else post_rendering.render_posts
    )
    for start in range(0, len(ids), RENDER_BATCH):
        # In one batch of freshness, as the worker renders: the batch's page purges are
        # sent together after it commits, not three Redis round trips a row.
        with transaction.atomic(), freshness.batch():
            render(ids[start : start + RENDER_BATCH])
    connection.close()
    return len(ids)


def write_chunk(args):
    """Make and insert posts first+1 .. first+count in one transaction (a worker process)."""
    with transaction.atomic():
        write(*make_chunk(*args))
    connection.close()
    return args[1]


def write(quotations, posts, updates, comments, citations, tagged):
    Quotation.objects.bulk_create(quotations)
    Post.objects.bulk_create(posts)
    Update.objects.bulk_create(updates)
    # The big tables go in with executemany: Django's per-object insert path is the
    # slowest part of generating otherwise.
    pool = world["comments"]
    fields = [f for f in Comment._meta.concrete_fields if f.attname not in {"id", "post_id"}]
    placeholder = f"comment-{PLACEHOLDER_ID}"
    rows = []
    for pk, post_id, k in comments:
        prototype = pool[k]
        values = [f.get_db_prep_save(getattr(prototype, f.attname), connection) for f in fields]
        html_at = [f.attname for f in fields].index("html")
        values[html_at] = prototype.html.replace(placeholder, f"comment-{pk}")
        rows.append((pk, post_id, *values))
    insert_many(Comment, ["id", "post_id", *(f.column for f in fields)], rows)
    insert_many(
        Citation, ["post_id", "quotation_id", "speaker_id", "source_id", "listed_at"], citations
    )
    insert_many(Post.tags.through, ["post_id", "tag_id"], tagged)


def insert_many(model, columns, rows):
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: a fraction of the time of as many INSERTs (a million comments and as
            # many citations at 100,000 posts).
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)  # noqa: S608 - names from our models


class Command(BaseCommand):
    help = "Fill an empty database with a realistic blog for the benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2009)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--comments", type=int, default=COMMENTS_PER_POST, help="approved comments a post"
        )
        parser.add_argument("--speakers", type=int, default=SPEAKERS)

    def handle(self, *args, posts, seed, workers, comments, speakers, **options):
        if Post.objects.exists() or Quotation.objects.exists():
            raise CommandError(
                "gendata fills an empty database; point DATABASE_URL at a new one first."
            )
        started = time.monotonic()
        author, _ = get_user_model().objects.get_or_create(
            username="bench-editor", defaults={"first_name": "Bench", "last_name": "Editor"}
        )
        make_world(seed, posts, speakers)
        world["comments_per_post"] = comments
        world["author"] = author
        world["tags"] = [
            Tag(id=i, name=f"Topic {i}", slug=f"topic-{i}") for i in range(1, TAGS + 1)
        ]
        with transaction.atomic():
            Speaker.objects.bulk_create(world["speakers"])
            Source.objects.bulk_create(world["sources"])
            Tag.objects.bulk_create(world["tags"])
        # The rows too are made and written by the worker processes, a chunk each at a time
        # (each in its own transaction; the parent's connection is not shared by the fork).
        connections.close_all()
        context = multiprocessing.get_context("fork")
        chunks = [(first, min(CHUNK, posts - first), seed) for first in range(0, posts, CHUNK)]
        done = 0
        with context.Pool(workers) as pool:
            for count in pool.imap_unordered(write_chunk, chunks):
                done += count
                self.stdout.write(f"  {done:>6} posts written", ending="\r")
        self.reset_sequences()
        written = time.monotonic()
        self.stdout.write(f"Wrote the rows in {written - started:.1f} s; rendering them.")
        # Workers render and write through their own connections; quotations first (posts
        # embed them). The parent's connection must not be shared across the fork.
        connections.close_all()
        for kind, model in [("quotes", Quotation), ("posts", Post)]:
            begun = time.monotonic()
            ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
            connections.close_all()
            chunks = [(kind, ids[i : i + RENDER_CHUNK]) for i in range(0, len(ids), RENDER_CHUNK)]
            done = 0
            with context.Pool(workers) as pool:
                for count in pool.imap_unordered(render_ids, chunks):
                    done += count
                    self.stdout.write(f"  {done:>6} {kind} rendered", ending="\r")
            self.stdout.write(f"Rendered the {kind} in {time.monotonic() - begun:.1f} s.")
        if connection.vendor == "postgresql":
            # Fresh statistics (and no dead rows from rendering) before anything is measured.
            vacuumed = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.stdout.write(f"VACUUM ANALYZE took {time.monotonic() - vacuumed:.1f} s.")
        self.stdout.write(
            f"Generated {posts} posts, {Quotation.objects.count()} quotations, "
            f"{Update.objects.count()} updates, {Comment.objects.count()} comments "
            f"in {time.monotonic() - started:.1f} s (rendering {time.monotonic() - written:.1f} s)."
        )

    def reset_sequences(self):
        """Explicit ids leave PostgreSQL's sequences behind; move them past the data."""
        models = [Speaker, Source, Quotation, Tag, Post, Update, Comment, Citation]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
