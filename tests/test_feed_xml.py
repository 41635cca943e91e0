"""The feeds written by blog/feed_xml.py are the bytes django.contrib.syndication wrote
(tests/feed_reference.py keeps those views): on a generated blog, on the demo content and
on text made to trip escaping; links made absolute exactly where the old regex made them."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.xmlutils import UnserializableContentError

from bench.management.commands import gendata
from blog import feeds, quotation_feeds
from blog import rendering as post_rendering
from blog.models import Post, Tag
from quotes import rendering as quotation_rendering
from quotes.models import Quotation, Source, Speaker
from tests import feed_reference as reference

HOUR = datetime.timedelta(hours=1)
# (new view, old view, URL pattern with the slug as {})
FEEDS = [
    (feeds.PostsAtomFeed, reference.PostsAtomFeed, "/feed.atom"),
    (feeds.PostsFeed, reference.PostsFeed, "/feed.rss"),
    (feeds.TagAtomFeed, reference.TagAtomFeed, "/tags/{}/feed.atom"),
    (feeds.TagFeed, reference.TagFeed, "/tags/{}/feed.rss"),
    (quotation_feeds.SpeakerAtomFeed, reference.SpeakerAtomFeed, "/speakers/{}/feed.atom"),
    (quotation_feeds.SpeakerFeed, reference.SpeakerFeed, "/speakers/{}/feed.rss"),
    (quotation_feeds.SourceAtomFeed, reference.SourceAtomFeed, "/sources/{}/feed.atom"),
    (quotation_feeds.SourceFeed, reference.SourceFeed, "/sources/{}/feed.rss"),
]


def assert_same_feeds(slugs, secure=False):
    """Every feed, for each slug of its kind, answered by the new and the old view: the
    same bytes, headers and page-cache keys. Returns how many documents were compared."""
    factory = RequestFactory()
    compared = 0
    for new, old, pattern in FEEDS:
        kind = pattern.split("/")[1] if "{}" in pattern else None
        for slug in slugs.get(kind, [None]):
            url, kwargs = (pattern.format(slug), {"slug": slug}) if slug else (pattern, {})
            got = new()(factory.get(url, secure=secure), **kwargs)
            expected = old()(factory.get(url, secure=secure), **kwargs)
            assert got.content.decode() == expected.content.decode(), url
            assert got.content == expected.content
            for header in ["Content-Type", "Last-Modified"]:
                assert got[header] == expected[header], (url, header)
            assert got.page_keys == expected.page_keys, url
            compared += 1
    return compared


def generate_blog(posts, speakers):
    """A blog made by the benchmark's generator (bench gendata's own functions, in this
    process and this test's transaction): posts citing quotations of a long tail of
    speakers, anonymous ones and sources' own words, updates, tags, approved comments."""
    author = get_user_model().objects.create_user(
        "generated", first_name="Bench", last_name="Editor"
    )
    gendata.make_world(7, posts, speakers)
    # Fewer sources than its 2,000 (several quotations each), and ids kept low: PostgreSQL's
    # sequences, which reset_sequences moves past them, outlive this test's transaction
    # (tests/test_sitemaps.py reads the first 1,000 ids of a section).
    gendata.world["sources"] = gendata.world["sources"][:60]
    gendata.world.update(
        comments_per_post=2,
        author=author,
        tags=[Tag(id=i, name=f"Topic {i}", slug=f"topic-{i}") for i in range(1, 6)],
    )
    Speaker.objects.bulk_create(gendata.world["speakers"])
    Source.objects.bulk_create(gendata.world["sources"])
    Tag.objects.bulk_create(gendata.world["tags"])
    gendata.write(*gendata.make_chunk(0, posts, 7))
    gendata.Command().reset_sequences()
    quotation_rendering.render_quotations(list(Quotation.objects.values_list("pk", flat=True)))
    post_rendering.render_posts(list(Post.objects.values_list("pk", flat=True)))


def public_slugs(model, limit=None):
    rows = model.objects.public().order_by("pk").values_list("slug", flat=True)
    return list(rows[:limit])


def test_feeds_on_a_generated_blog_are_the_bytes_django_wrote(db):
    generate_blog(posts=48, speakers=3)
    slugs = {
        "tags": list(Tag.objects.values_list("slug", flat=True)),
        "speakers": public_slugs(Speaker),  # the busiest first
        "sources": public_slugs(Source, 15),
    }
    assert Quotation.objects.filter(speaker_id=1).count() > quotation_feeds.ITEMS
    assert Quotation.objects.filter(speaker=None).exists()
    compared = assert_same_feeds(slugs)
    assert compared == 2 + 2 * (len(slugs["tags"]) + len(slugs["speakers"]) + 15)
    assert assert_same_feeds({"tags": ["topic-1"], "speakers": [], "sources": []}, secure=True)


def test_feeds_of_the_demo_content_are_the_bytes_django_wrote(demo, settings):
    slugs = {"tags": list(Tag.objects.values_list("slug", flat=True))}
    slugs |= {"speakers": public_slugs(Speaker), "sources": public_slugs(Source)}
    assert slugs["tags"] and slugs["speakers"] and slugs["sources"]
    assert_same_feeds(slugs)
    settings.SITE_URL = "https://example.org"  # links made absolute on the public address
    assert_same_feeds(slugs)


TRICKY = [
    "Fish & <chips> \"quoted\" 'single' both ' and \" ]]> --> é ✓ 𝄞",
    "<script>alert('x')</script>",
    "Tab\there, new\nline, return\rhere",
    "&amp; &lt;already&gt; &#39;escaped&#39;",
    "",
]


def test_escaping_of_text_made_to_trip_it_is_the_same(make_post, make_quotation, author):
    author.first_name, author.last_name = TRICKY[0], "O'Brien"
    author.save()
    speaker = Speaker.objects.create(name=TRICKY[0], description=TRICKY[2])
    source = Source.objects.create(title=TRICKY[1], publisher="", url="https://example.org/")
    for i, text in enumerate(TRICKY):
        make_post(f"{text}\n\n[a link](/speakers/) and <{text}>", title=text or "x", excerpt=text)
        Tag.objects.create(name=f"{text[:40]} {i}").posts.add(Post.objects.latest("pk"))
        make_quotation(f"{text} words {i}", speaker=speaker, source=source, context=text)
        make_quotation(f"{text} said {i}", anonymous_description=text or "someone")
    nameless = get_user_model().objects.create_user("nameless")  # the feed's author stands
    unsigned = make_post("By someone without a display name.")
    Post.objects.filter(pk=unsigned.pk).update(author=nameless)
    tags = list(Tag.objects.values_list("slug", flat=True))
    assert assert_same_feeds(
        {"tags": tags, "speakers": [speaker.slug], "sources": public_slugs(Source)}
    )


@time_machine.travel(datetime.datetime(2026, 3, 8, 6, 30, tzinfo=datetime.UTC), tick=False)
def test_empty_feeds_are_dated_now_as_before(db):
    tag = Tag.objects.create(name="Nothing yet")
    assert not Post.objects.exists()
    assert_same_feeds({"tags": [tag.slug], "speakers": [], "sources": []})
    response = feeds.PostsAtomFeed()(RequestFactory().get("/feed.atom"))
    assert response["Last-Modified"] == "Sun, 08 Mar 2026 06:30:00 GMT"
    assert b"<updated>2026-03-08T06:30:00+00:00</updated>" in response.content


def test_a_control_character_is_refused_as_before(make_post):
    make_post(title="Bell\x07 in the title")
    for view in [feeds.PostsAtomFeed(), reference.PostsAtomFeed(), feeds.PostsFeed()]:
        with pytest.raises(UnserializableContentError):
            view(RequestFactory().get("/feed.atom"))


@pytest.mark.parametrize(
    "html",
    [
        '<a href="/speakers/x/">a</a> <img src="/media/a.png"> <q cite="/q/1/">',
        '<a href="//cdn.example/x">protocol-relative</a> <a href="/">root</a>',
        '<a\thref="/tab/">t</a><a\nhref="/nl/">n</a><a\u00a0href="/nbsp/">u</a>',
        '<a xhref="/no/">x</a> <a data-src="/no/">d</a> href="/bare/" start',
        'href="/" at the start, then <a href="/end/',
        '<p title="a="/not-url/"">quoted</p><a  href="/twice/"><a href="/"',
        "no addresses at all",
        "",
    ],
)
def test_absolute_urls_change_what_the_regex_changed(html):
    expected = reference.RELATIVE_URL.sub(r"\1https://blog.example/", html)
    assert feeds.absolute_urls(html, "https://blog.example") == expected


def test_absolute_urls_on_a_stored_post(make_post, quotation):
    post = make_post(f"[[quote:{quotation.pk}]]\n\n[a](/tags/) [b](//other.example/)")
    html = post.body_html + post.sources_html
    assert re.search(r'href="/speakers/', html)
    made = feeds.absolute_urls(html, "http://testserver")
    assert made == reference.RELATIVE_URL.sub(r"\1http://testserver/", html)
    assert 'href="http://testserver/speakers/' in made and 'href="//other.example/"' in made
    assert 'href="/' not in made.replace('href="//', "")


def test_a_feed_loads_only_the_columns_its_entries_show(client, make_post, uncached):
    post = make_post("Words.")
    post.tags.add(Tag.objects.create(name="Kept"))
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/feed.atom").content.decode()
    assert "Words." in body and 'term="Kept"' in body
    post_query = next(q["sql"] for q in captured if 'FROM "blog_post"' in q["sql"])
    selected = set(re.findall(r'"blog_post"\."(\w+)"', post_query.split(" FROM ")[0]))
    expected = {"id", "author_id", *(f for f in feeds.IN_FEEDS if "__" not in f)}
    assert selected == expected
    assert not any('"blog_tag"."slug"' in q["sql"] for q in captured)  # names only


def test_a_speaker_or_source_feed_answers_exactly_when_public_says_so(
    client, make_quotation, make_post, uncached
):
    """The feeds tell public from their own list (quotation_feeds.QuotationsFeed.items);
    every state a speaker or source can be in gets the answer .public() gives."""
    states = {
        "marked public": {"is_public": True},
        "quotation public on its own": {"quotation": {"is_public": True}},
        "cited by a published post": {"post": {}},
        "cited by a draft": {"post": {"status": Post.Status.DRAFT}},
        "cited by a scheduled post": {"post": {"published_at": timezone.now() + HOUR}},
        "quoted nowhere": {"quotation": {"is_public": False}},
        "nothing": {},
    }
    for state, how in states.items():
        speaker = Speaker.objects.create(name=f"Speaker {state}", is_public="is_public" in how)
        source = Source.objects.create(title=f"Source {state}", is_public="is_public" in how)
        if "quotation" in how or "post" in how:
            quotation = make_quotation(
                f"Words {state}.", speaker=speaker, source=source, **how.get("quotation", {})
            )
            if "post" in how:
                Quotation.objects.filter(pk=quotation.pk).update(is_public=False)
                make_post(f"[[quote:{quotation.pk}]]", **how["post"])
        for obj, kind in [(speaker, "speaker"), (source, "source")]:
            public = type(obj).objects.public().filter(pk=obj.pk).exists()
            for name in [f"quotes:{kind}_feed_atom", f"quotes:{kind}_feed_rss"]:
                status = client.get(reverse(name, args=[obj.slug])).status_code
                assert status == (200 if public else 404), (state, name)
    public_speakers = Speaker.objects.public().filter(name__startswith="Speaker ").count()
    assert 0 < public_speakers < len(states)
