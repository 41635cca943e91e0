"""Prepared queries (ops/prepared.py): compiled once, they return what the ORM returns for the
values of each call, and refuse what would make the compiled SQL wrong for later calls."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F
from django.utils import timezone

from blog.models import Citation, Post
from ops.prepared import Prepared
from quotes.models import ListedOn, Quotation, Speaker


@pytest.fixture
def quoted(make_post, make_quotation):
    """Two speakers, each quoted in posts published a day apart, and one post scheduled."""
    now = timezone.now()
    speakers = [Speaker.objects.create(name=name) for name in ("Ana Ruiz", "Bo Lind")]
    for speaker in speakers:
        for days in (1, 2, 3):
            quotation = make_quotation(
                f"{speaker.name} said {days}.", speaker=speaker, is_public=False,
                said_on=datetime.date(2024, 1, days),
            )  # fmt: skip
            make_post(f"[[quote:{quotation.pk}]]", published_at=now - datetime.timedelta(days=days))
    later = make_quotation(
        "Not yet.", speaker=speakers[0], is_public=False, said_on=datetime.date(2024, 1, 9)
    )
    make_post(f"[[quote:{later.pk}]]", published_at=now + datetime.timedelta(days=1))
    return speakers


def public_quotations(speaker_id, now):
    quotations = Quotation.objects.filter(speaker_id=speaker_id).public(now)
    quotations = quotations.annotate(listed_on=ListedOn("said_on")).select_related("speaker")
    return quotations.only("text", "speaker__name").order_by("-listed_on", "-pk")[:2]


def test_model_rows_are_the_orms_for_each_calls_values(quoted):
    prepared = Prepared(public_quotations)
    now = timezone.now()
    for speaker in quoted:
        for moment in (now, now - datetime.timedelta(days=2), now + datetime.timedelta(days=2)):
            expected = list(public_quotations(speaker.pk, moment))
            rows = prepared(speaker.pk, moment)
            assert [(q.pk, q.listed_on, q.speaker.name) for q in rows] == [
                (q.pk, q.listed_on, q.speaker.name) for q in expected
            ]
            assert rows  # every moment here finds some
    # The scheduled post's quotation appears once its time has come, as the ORM says.
    tomorrow = prepared(quoted[0].pk, now + datetime.timedelta(days=2))
    assert tomorrow[0].text == "Not yet."
    assert "Not yet." not in [q.text for q in prepared(quoted[0].pk, now)]


def test_values_rows_and_flat_lists_are_the_orms(quoted):
    def cited(speaker_id, now):
        citations = Citation.objects.filter(speaker_id=speaker_id, listed_at__lte=now)
        return citations.values("listed_at", "post_id").distinct().order_by("-listed_at")

    def titles(slug):
        return Post.objects.filter(slug__gt=slug).order_by("slug").values_list("title", flat=True)

    now = timezone.now()
    for speaker in quoted:
        assert Prepared(cited)(speaker.pk, now) == list(cited(speaker.pk, now))
        assert len(Prepared(cited)(speaker.pk, now)) == 3
    first = Post.objects.order_by("slug").first().slug
    prepared = Prepared(titles)
    assert prepared(first) == list(titles(first))
    assert prepared("") == list(titles("")) != prepared(first)


def test_its_sql_runs_inside_a_larger_statement_with_each_calls_values(quoted):
    def cited(speaker_id, now):
        citations = Citation.objects.filter(speaker_id=speaker_id, listed_at__lte=now)
        return citations.order_by("-listed_at").values_list("post_id", flat=True)

    prepared = Prepared(cited)
    now = timezone.now()
    counts = []
    with connection.cursor() as cursor:
        for speaker, moment in [(quoted[0], now), (quoted[1], now - datetime.timedelta(days=2))]:
            sql, params = prepared.sql(speaker.pk, moment)
            cursor.execute(f"SELECT count(*) FROM ({sql}) AS cited", params)  # noqa: S608
            counts.append(cursor.fetchone()[0])
            assert counts[-1] == len(cited(speaker.pk, moment))
    assert counts == [3, 2]  # one compiled query, each call's own speaker and moment


def test_the_query_is_built_twice_once_and_never_again(quoted):
    builds = []

    def speaker(slug):
        builds.append(slug)
        return Speaker.objects.filter(slug=slug)

    prepared = Prepared(speaker)
    assert [s.name for s in prepared(quoted[0].slug)] == ["Ana Ruiz"]
    assert [s.name for s in prepared(quoted[1].slug)] == ["Bo Lind"]
    assert prepared("nobody") == []
    assert len(builds) == 2  # two stand-in builds compared when first compiled
    assert quoted[0].slug not in builds


def test_a_shape_compiles_its_own_query(db):
    prepared = Prepared(lambda pk: Speaker.objects.filter(pk__gt=pk))
    prepared(1, shape="a")
    prepared(1, shape="b")
    assert {shape for shape, _ in prepared.compiled} == {"a", "b"}


def test_each_number_of_values_compiles_its_own_query(quoted):
    speakers = Prepared(lambda *pks: Speaker.objects.filter(pk__in=pks).order_by("pk"))
    assert [s.name for s in speakers(quoted[0].pk)] == ["Ana Ruiz"]
    assert [s.name for s in speakers(quoted[0].pk, quoted[1].pk)] == ["Ana Ruiz", "Bo Lind"]


def test_a_moment_taken_inside_the_build_is_refused(db):
    # Compiled once, it would stay that moment for the life of the process.
    baked = Prepared(lambda pk: Post.objects.published().filter(pk=pk))
    with pytest.raises(ImproperlyConfigured, match="outside its values"):
        baked(1)
    assert (
        Prepared(lambda pk, now: Post.objects.published(now).filter(pk=pk))(1, timezone.now()) == []
    )


def test_a_value_that_changes_the_sql_or_is_transformed_is_refused(db):
    with pytest.raises(ImproperlyConfigured, match="changes with its values"):
        Prepared(lambda count: Speaker.objects.all()[:count])(3)
    with pytest.raises(ImproperlyConfigured, match="outside its values"):  # '%value%'
        Prepared(lambda text: Speaker.objects.filter(name__contains=text))("Ana")
    with pytest.raises(ImproperlyConfigured, match="not a parameter"):
        Prepared(lambda pk, unused: Speaker.objects.filter(pk=pk))(1, "never read")
    with pytest.raises(TypeError):
        Prepared(lambda pk: Speaker.objects.filter(pk=pk))(None)


def test_a_constant_of_the_query_stays_as_compiled(quoted):
    # F() and literal values are constants: equal in both builds, kept as they are.
    prepared = Prepared(
        lambda pk: Post.objects.filter(pk__gte=pk, status="published", pk__lt=F("pk") + 1)
    )
    first = Post.objects.order_by("pk").first().pk
    assert len(prepared(first)) == Post.objects.filter(pk__gte=first).count()


def test_pages_read_through_prepared_queries_follow_the_clock(client, make_post, uncached):
    """Compiled while a post is scheduled, every list shows it once its time has come: the
    moment is a value of each prepared query, never part of its SQL."""
    from blog.models import Tag

    tag = Tag.objects.create(name="Treaties")
    soon = timezone.now() + datetime.timedelta(hours=1)
    post = make_post("Signed at dawn.", title="A treaty at dawn", published_at=soon)
    post.tags.add(tag)
    day = timezone.localtime(soon).date()
    lists = [
        "/",
        tag.get_absolute_url(),
        "/feed.atom",
        "/feed.rss",
        tag.get_absolute_url() + "feed.atom",
        f"/{day:%Y}/{day:%m}/",
        "/search/?q=treaty",
    ]
    for url in lists:
        assert "A treaty at dawn" not in client.get(url).content.decode(), url
    with time_machine.travel(soon + datetime.timedelta(minutes=1)):
        for url in lists:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "A treaty at dawn" in response.content.decode(), url
        assert f"{day:%B %Y}" in client.get(f"/{day:%Y}/").content.decode()


def test_first_is_the_first_row_or_none_and_padded_ids_name_no_row(quoted):
    from ops.prepared import padded

    by_slug = Prepared(lambda slug: Speaker.objects.filter(slug=slug))
    assert by_slug.first(quoted[0].slug).name == "Ana Ruiz"
    assert by_slug.first("nobody") is None
    ids = [speaker.pk for speaker in quoted]
    assert padded(ids, 5) == [*ids, 0, 0, 0]
    by_ids = Prepared(lambda *pks: Speaker.objects.filter(pk__in=pks).order_by("name"))
    assert [s.name for s in by_ids(*padded(ids[:1], 5))] == ["Ana Ruiz"]
    assert [s.name for s in by_ids(*padded(ids, 5))] == ["Ana Ruiz", "Bo Lind"]
