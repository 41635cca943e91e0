"""Upgrading to blog 0015 fills each existing citation's copies of its quotation's speaker
and source and of its post's place in lists, so the "posts quoting" lists lose nothing."""

import datetime

WHEN = datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC)


def test_the_upgrade_copies_speaker_source_and_listing_into_every_citation(migrator):
    old = migrator.blog_at("0014_comment_queue_first_index")
    user = old.get_model("auth", "User").objects.create(username="writer")
    source = old.get_model("quotes", "Source").objects.create(title="A letter", slug="a-letter")
    speaker = old.get_model("quotes", "Speaker").objects.create(name="Medvedev", slug="medvedev")
    Quotation = old.get_model("quotes", "Quotation")
    said = Quotation.objects.create(text="Said.", speaker=speaker, source=source)
    unsigned = Quotation.objects.create(text="Unsigned.", source=source)
    Post = old.get_model("blog", "Post")
    published = Post.objects.create(
        title="Out", slug="out", author=user, status="published", published_at=WHEN
    )
    draft = Post.objects.create(title="Draft", slug="draft", author=user, status="draft")
    Citation = old.get_model("blog", "Citation")
    for post in (published, draft):
        for quotation in (said, unsigned):
            Citation.objects.create(post=post, quotation=quotation)

    new = migrator.blog_at("0015_citation_listed")
    rows = new.get_model("blog", "Citation").objects.order_by("post_id", "quotation_id")
    assert list(rows.values_list("post_id", "speaker_id", "source_id", "listed_at")) == [
        (published.pk, speaker.pk, source.pk, WHEN),
        (published.pk, None, source.pk, WHEN),
        (draft.pk, speaker.pk, source.pk, None),
        (draft.pk, None, source.pk, None),
    ]
