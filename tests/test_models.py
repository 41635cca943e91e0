"""Model rules: attribution is coherent, addresses are web addresses, names read well."""

import datetime
import zoneinfo
from datetime import UTC

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from blog.models import Post
from quotes.models import Quotation, Source, Speaker


def test_a_quotation_is_named_or_anonymous_never_both(source, speaker):
    quotation = Quotation(text="Words.", source=source, speaker=speaker, anonymous_description="x")
    with pytest.raises(ValidationError, match="either by a named speaker or by an anonymous"):
        quotation.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        quotation.save()  # the database refuses it too


def test_a_reason_for_anonymity_needs_a_description(source):
    quotation = Quotation(text="Words.", source=source, anonymity_reason="not authorized")
    with pytest.raises(ValidationError) as error:
        quotation.full_clean()
    assert "anonymous_description" in error.value.message_dict


def test_the_three_kinds_of_attribution(source, speaker):
    named = Quotation.objects.create(text="A.", source=source, speaker=speaker)
    anonymous = Quotation.objects.create(
        text="B.", source=source, anonymous_description="a senior administration official"
    )
    own = Quotation.objects.create(text="C.", source=source)
    assert named.attribution_name == "Dmitri A. Medvedev"
    assert anonymous.is_anonymous and anonymous.attribution_name.startswith("a senior")
    assert own.attribution_name == "The New York Times"
    # No marks of its own: admin messages put it in quotation marks.
    assert str(named) == "A. — Dmitri A. Medvedev"


def test_quotation_codes_cannot_nest(source):
    with pytest.raises(ValidationError, match="cannot be used inside a quotation"):
        Quotation(text="See [[q:1]]", source=source).full_clean()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/x", "not a url"]
)
def test_addresses_must_be_http_or_https(db, url):
    with pytest.raises(ValidationError) as error:
        Source(title="T", url=url).full_clean()
    assert "url" in error.value.message_dict
    with pytest.raises(ValidationError):
        Speaker(name="S", url=url).full_clean()


def test_slugs_are_made_from_titles_and_names_and_kept_unique(db):
    first = Source.objects.create(title="Secret Letter", publisher="The New York Times")
    second = Source.objects.create(title="Secret Letter", publisher="The New York Times")
    assert first.slug == "the-new-york-times-secret-letter"
    assert second.slug == "the-new-york-times-secret-letter-2"
    assert Speaker.objects.create(name="Dmitri A. Medvedev").slug == "dmitri-a-medvedev"


NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def new_york(*args, fold=0):
    return datetime.datetime(*args, tzinfo=NEW_YORK, fold=fold)


# Clock edges where the UTC day and the blog's (New York) day differ or change.
CLOCK_EDGES = {
    "23:30 local": new_york(2026, 3, 3, 23, 30),
    "00:30 local": new_york(2026, 3, 4, 0, 30),
    "02:25 UTC, still yesterday in New York": datetime.datetime(2026, 3, 4, 2, 25, tzinfo=UTC),
    "00:30 UTC": datetime.datetime(2026, 3, 4, 0, 30, tzinfo=UTC),
    "spring forward": new_york(2026, 3, 8, 3, 30),
    "fall back, second 01:30": new_york(2026, 11, 1, 1, 30, fold=1),
    "New Year's Eve 23:30": new_york(2025, 12, 31, 23, 30),
    "New Year's Day 00:30": new_york(2026, 1, 1, 0, 30),
}


@pytest.mark.parametrize("now", CLOCK_EDGES.values(), ids=CLOCK_EDGES.keys())
def test_a_post_slug_is_unique_for_its_publication_date(make_post, author, now):
    with time_machine.travel(now, tick=False):
        when = timezone.now() - datetime.timedelta(hours=2)
        make_post(title="Same title", published_at=when)
        clash = Post(title="Same title", body="x", author=author, published_at=when)
        with pytest.raises(ValidationError, match="has the address “same-title”"):
            clash.full_clean()
        later = Post(
            title="Same title", body="x", author=author, published_at=when.replace(year=2020)
        )
        later.full_clean()


def test_slugs_are_unique_per_day_in_the_blogs_time_zone_not_utc(make_post, author):
    # 20:00 and 23:30 in New York on March 3 are both March 4 in UTC: one local day.
    make_post(title="Evening", published_at=new_york(2009, 3, 3, 20, 0))
    late = Post(title="Evening", body="x", author=author, published_at=new_york(2009, 3, 3, 23, 30))
    with pytest.raises(ValidationError, match="March 3, 2009"):
        late.full_clean()
    # 00:30 on March 4 in New York is the same UTC day as 20:00 on March 3, but a new local day.
    next_day = Post(
        title="Evening", body="x", author=author, published_at=new_york(2009, 3, 4, 0, 30)
    )
    next_day.full_clean()
    next_day.save()
    assert next_day.get_absolute_url() == "/2009/03/04/evening/"


def test_the_database_refuses_two_posts_with_one_address(make_post, author):
    make_post(title="Twice", published_at=new_york(2009, 3, 3, 9, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            title="Twice", body="x", author=author, published_at=new_york(2009, 3, 3, 23, 0)
        )


def test_post_addresses_use_the_blogs_local_date(make_post):
    # 02:30 UTC on March 4 is still March 3 in New York, the blog's time zone.
    post = make_post(
        title="Late", published_at=datetime.datetime(2009, 3, 4, 2, 30, tzinfo=datetime.UTC)
    )
    assert post.get_absolute_url() == "/2009/03/03/late/"


def test_post_states(make_post):
    assert make_post().state == "Published"
    assert make_post(status=Post.Status.DRAFT).state == "Draft"
    soon = make_post(published_at=timezone.now() + datetime.timedelta(hours=1))
    assert soon.state == "Scheduled" and not soon.is_public
