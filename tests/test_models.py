"""Model rules: attribution is coherent, addresses are web addresses, names read well."""

import datetime

import pytest
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
    assert str(named) == "“A.” — Dmitri A. Medvedev"


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


def test_a_post_slug_is_unique_for_its_publication_date(make_post, author):
    when = timezone.now() - datetime.timedelta(hours=2)
    make_post(title="Same title", published_at=when)
    clash = Post(title="Same title", body="x", author=author, published_at=when)
    with pytest.raises(ValidationError, match="must be unique for Publication date date"):
        clash.full_clean()
    later = Post(title="Same title", body="x", author=author, published_at=when.replace(year=2020))
    later.full_clean()


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
