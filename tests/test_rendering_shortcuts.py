"""The renderer's shortcuts store exactly what the long way would (blog/rendering.py).

Rendering 100,000 posts takes its time per post, so the renderer parses only the start of a
long body for its summary and builds each piece of a batch once. Each shortcut is pinned
here against the long way, on text made to break it.
"""

import datetime
import json
import re
import zoneinfo
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.text import Truncator

from blog.models import Comment, Post
from blog.rendering import BODY, COMMENTS, PAGE, render_posts
from freshness.rows import write_rows
from quotes.markup import render_markdown
from quotes.models import Source
from quotes.plaintext import html_to_text, text_start

XSS = (Path(__file__).parent / "data" / "xss-payloads.txt").read_text(encoding="utf-8")

# Pieces a summary's cut can fall in: entities, combining marks (which Truncator does not
# count, and NFC joins to their letter), no-break spaces, quotation marks, unspaced scripts.
TRICKY = [
    "<p>AT&amp;T &amp; T-Mobile said &quot;no&quot; &#8212; twice&#x21; &amp</p>",
    "<p>" + "Cafe\u0301 e\u0301te\u0301 " * 40 + "</p>",
    "<p>" + "Z\u0336\u0334\u0335a\u0337\u0338l\u0321g\u0322o " * 60 + "</p>",
    "<p>" + "no\u00a0break\u00a0spaces\u2003and\u2009thin " * 30 + "</p>",
    '<p>He said <q class="quotation-inline"><a href="/q/1/">it is <q>fine</q> now</a></q>.</p>'
    * 20,
    "<p>" + "日本語の文章には空白がない" * 60 + "</p>",
    "<p>" + "x" * 900 + " and then words</p>",
    "<figure><blockquote><p>" + "Words of the speaker. " * 50 + "</p></blockquote>"
    "<figcaption>A speaker, <cite>A Source</cite></figcaption></figure><p>After.</p>",
    "<p>short</p>",
    "",
]


def summaries_agree(html, length, piece):
    whole = Truncator(html_to_text(html)).chars(length)
    start = Truncator(" ".join(text_start(html, length, piece).split())).chars(length)
    assert start == whole, (html[:80], length, piece)


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 64, 2048])
@pytest.mark.parametrize("length", [1, 10, 300])
def test_the_start_of_a_page_gives_the_summary_of_the_whole(length, piece):
    for html in TRICKY:
        summaries_agree(html, length, piece)
        summaries_agree(html * 5, length, piece)


@pytest.mark.parametrize("piece", [1, 5, 97])
def test_the_start_of_sanitized_hostile_text_gives_the_summary_of_the_whole(db, piece):
    vectors = [line for line in XSS.splitlines() if line.strip()]
    for start in range(0, len(vectors), 20):
        html = render_markdown("\n\n".join(vectors[start : start + 20]))
        for length in [10, 300]:
            summaries_agree(html, length, piece)


def test_a_start_is_cut_where_a_word_ends():
    html = "<p>" + "alpha beta gamma " * 200 + "</p>"
    start = text_start(html, 30, piece=64)
    assert 30 < len(start) < len(html_to_text(html))
    assert html_to_text(html).startswith(start + " ")


FORMATS = ["c", "F j, Y, g:i a T", "l, F d, Y", "Y-m-d", "F j, Y", "I e O U"]
ZONES = ["America/New_York", "Europe/Berlin", "UTC", "Asia/Kolkata"]


def moments():
    """Instants at the edges: both sides of both DST changes (the repeated hour twice, once
    per fold), midnight, New Year's Eve; a date; a naive datetime; nothing."""
    utc = datetime.UTC
    yield datetime.datetime(2025, 3, 9, 6, 59, tzinfo=utc)
    yield datetime.datetime(2025, 3, 9, 7, 1, tzinfo=utc)
    yield datetime.datetime(2025, 11, 2, 5, 30, tzinfo=utc)  # 01:30 EDT
    yield datetime.datetime(2025, 11, 2, 6, 30, tzinfo=utc)  # 01:30 EST, the same wall time
    yield datetime.datetime(2025, 12, 31, 23, 30, tzinfo=utc)
    yield datetime.datetime(2026, 1, 1, 0, 0, 0, 5, tzinfo=utc)
    yield datetime.date(2009, 2, 28)
    yield datetime.datetime(2024, 2, 29, 13, 5)
    yield None


def outcome(template, context):
    try:
        return template.render(Context(context))
    except TypeError as error:  # a time format for a date: both refuse it alike
        return type(error)


def test_a_remembered_date_reads_as_the_date_filter_would():
    """Formatted the long way and remembered, in zone after zone and two languages: the
    same instant in another zone (equal datetimes, equal hashes) never gets the other's
    text, nor one wall time the other fold's."""
    remembered = Template("{% load blog_tags %}{{ moment|date_cached:f }}")
    plain = Template("{{ moment|date:f }}")
    for _ in range(2):  # the second time from what was remembered
        for language in ["en-us", "de"]:
            for zone in ZONES:
                for f in FORMATS:
                    for moment in moments():
                        context = {"moment": moment, "f": f}
                        with translation.override(language), timezone.override(zone):
                            expected = outcome(plain, context)
                            assert outcome(remembered, context) == expected, (moment, f, zone)
    edt, est = list(moments())[2:4]
    with timezone.override("America/New_York"):
        folds = Template(
            "{% load blog_tags %}{{ a|date_cached:'g:i a U' }} {{ b|date_cached:'g:i a U' }}"
        )
        shown = folds.render(Context({"a": edt, "b": est}))
        assert shown == "1:30 a.m. 1762061400 1:30 a.m. 1762065000"


def test_rows_are_written_as_bulk_update_writes_them(make_post):
    """write_rows stores each value as bulk_update would (text, a time in its zone, a count,
    nothing), in the named columns of those rows only."""
    posts = [make_post(), make_post(), make_post()]
    untouched = make_post()
    fields = ["article_html", "last_updated_at", "comment_count", "cache_keys"]
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    values = [
        ("<p>“Quoted” — ünïcode &amp; <q>marks</q></p>", datetime.datetime(2025, 3, 30, 12, 30,
         tzinfo=berlin), 7, "post:1 speaker:2"),
        ("", None, 0, ""),
    ]  # fmt: skip
    for post, row in zip(posts, [values[0], values[0], values[1]], strict=True):
        for name, value in zip(fields, row, strict=True):
            setattr(post, name, value)
    before = {p.pk: (p.title, p.modified_at) for p in [*posts, untouched]}
    Post.objects.bulk_update(posts[:1], fields)
    write_rows(Post, posts[1:2], fields)
    stored = {p["pk"]: p for p in Post.objects.values("pk", "title", "modified_at", *fields)}
    first, second = (stored[p.pk] for p in posts[:2])
    assert {k: v for k, v in first.items() if k in fields} == {
        k: v for k, v in second.items() if k in fields
    }
    assert second["last_updated_at"] == values[0][1]
    for pk, (title, modified_at) in before.items():
        assert (stored[pk]["title"], stored[pk]["modified_at"]) == (title, modified_at)
    assert stored[untouched.pk]["article_html"] == untouched.article_html
    write_rows(Post, posts[2:], fields)
    assert [stored[posts[2].pk][name] for name in fields] != list(values[1])
    assert list(Post.objects.values_list(*fields).get(pk=posts[2].pk)) == list(values[1])


STORED = [*BODY, *COMMENTS, *PAGE]


def test_posts_rendered_together_store_what_each_alone_stores(
    make_post, make_quotation, make_comment, speaker, source
):
    """A batch builds each source's and speaker's JSON-LD once and reads its comments in
    post order; every post of it stores exactly what rendering it alone stores."""
    other = Source.objects.create(title="A second report", publisher="The Daily", url="")
    said = make_quotation(speaker=speaker, context="in a speech")
    unnamed = make_quotation(text="Off the record.", anonymous_description="an aide")
    elsewhere = make_quotation(text="Written down.", source=other, speaker=speaker)
    first = make_post(f"[[quote:{said.pk}]]\n\nThen [[q:{unnamed.pk}]].")
    second = make_post(
        f"Again [[q:{said.pk}]].\n\n[[quote:{elsewhere.pk}]]",
        updates=[{"body": f"Also [[q:{unnamed.pk}]]", "timestamp": timezone.now()}],
    )
    third = make_post("No quotations at all.")
    posts = [first, second, third]
    # Comments whose times interleave across the posts: each post keeps its own in order.
    start = timezone.now() - datetime.timedelta(days=1)
    for minute in range(6):
        make_comment(
            posts[minute % 2],
            text=f"Remark {minute}",
            status=Comment.Status.APPROVED,
            submitted_at=start + datetime.timedelta(minutes=10 - minute),
        )
    ids = [post.pk for post in posts]
    alone = {}
    for pk in ids:
        Post.objects.filter(pk=pk).update(rendered_with=0)
        render_posts([pk])
        alone[pk] = Post.objects.values(*STORED).get(pk=pk)
    Post.objects.filter(pk__in=ids).update(**{name: "" for name in PAGE}, rendered_with=0)
    render_posts(ids)
    together = {row["pk"]: row for row in Post.objects.filter(pk__in=ids).values("pk", *STORED)}
    for pk in ids:
        assert {name: together[pk][name] for name in STORED} == alone[pk]
    assert together[first.pk]["comment_count"] == 3
    remarks = together[first.pk]["comments_html"]
    assert remarks.index("Remark 4") < remarks.index("Remark 2") < remarks.index("Remark 0")
    # Each quotation's item names its own source and speaker, built once or not.
    data = json.loads(re.search(r"ld\+json\">(.*)</script>", together[second.pk]["head_html"])[1])
    assert [item["name"] for item in data["citation"]] == [source.title, other.title]
    shown = [(part["isBasedOn"]["name"], part.get("creator")) for part in data["hasPart"]]
    person = data["hasPart"][0]["creator"]
    assert person["name"] == speaker.name
    assert shown == [(source.title, person), (source.title, None), (other.title, person)]


@pytest.mark.parametrize("words", [0, 1, 39, 40, 41, 120])
@pytest.mark.parametrize("piece", TRICKY + ["word", "  spaced\tout\n", "\u3000wide"])
def test_a_listed_summary_reads_as_truncatewords_would(words, piece):
    from blog.templatetags.blog_tags import first_words

    text = " ".join([piece] * words)
    expected = Template("{{ text|truncatewords:40 }}").render(Context({"text": text}))
    assert Template("{{ text }}").render(Context({"text": first_words(text)})) == expected
