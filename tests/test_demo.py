"""The demo content publishes the reference post faithfully."""

import html
import re
from pathlib import Path

from django.core.management import call_command

from blog.models import Post
from quotes.models import Quotation, Source, Speaker

SEED = Path(__file__).parent / "data" / "seed-post.txt"


def page_text(response):
    """The page's text as a reader gets it: tags stripped, entities decoded, whitespace folded."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def seed_sentences():
    """Every sentence of the seed, line by line (a line break always ends a sentence)."""
    for line in SEED.read_text(encoding="utf-8").splitlines():
        for sentence in re.split(r"(?<=[.?!:”])\s+(?=[“A-Z])", line.strip()):
            if sentence.strip():
                yield " ".join(sentence.split())


def test_every_sentence_of_the_seed_is_on_the_post_page(client, demo):
    text = page_text(client.get(demo.get_absolute_url()))
    sentences = list(seed_sentences())
    assert len(sentences) > 25
    missing = [sentence for sentence in sentences if sentence not in text]
    assert missing == []


def test_the_authors_typography_is_kept(client, demo):
    text = page_text(client.get(demo.get_absolute_url()))
    for exact in [
        "Now that's diplomacy.",  # straight apostrophe, as typed
        "Russia’s president",  # curly, as the NYT printed it
        "‘We’ll try and therefore you have to suspend.’",
        "quid quo pro",  # the author's typo, kept
        "if it can get stop Iran",
    ]:
        assert exact in text


def test_the_date_header_and_the_update_are_shown(client, demo):
    text = page_text(client.get(demo.get_absolute_url()))
    assert "Tuesday, March 03, 2009" in text
    assert "Update: Obama clarifies letter" in text
    assert "Updated March 3, 2009, 4:12 p.m." in text
    assert demo.updates.get().placement == "top"
    # The top update comes before the body.
    assert text.index("Obama clarifies letter") < text.index("Now that's diplomacy")


def test_each_quotation_carries_its_speaker_and_the_nyt_source(client, demo):
    response = client.get(demo.get_absolute_url())
    body = response.content.decode()
    nyt = Source.objects.get(publisher="The New York Times")
    medvedev = Speaker.objects.get(name="Dmitri A. Medvedev")
    cited = demo.quotations.all()
    assert cited.count() == 5
    for quotation in cited:
        assert quotation.source == nyt
        assert f'href="{quotation.get_absolute_url()}"' in body
    assert {q.speaker for q in cited if q.speaker} == {medvedev}
    anonymous = cited.get(anonymous_description="a senior administration official")
    assert "not been made public" in anonymous.anonymity_reason
    assert "official</span>, not named because the letter had not been made public<" in body
    assert body.count('<cite><a href="https://www.nytimes.com/') >= 3  # two figures, sources list
    assert "President of Russia, at a news conference in Madrid" in body


def test_medvedev_quotations_have_context_and_date(demo):
    for quotation in Quotation.objects.filter(speaker__name="Dmitri A. Medvedev"):
        assert quotation.context == "at a news conference in Madrid"
        assert quotation.said_on.isoformat() == "2009-03-02"
        assert quotation.within is not None


def test_loaddemo_is_idempotent(demo):
    counts = [Post.objects.count(), Quotation.objects.count(), Speaker.objects.count()]
    call_command("loaddemo", verbosity=0)
    assert [Post.objects.count(), Quotation.objects.count(), Speaker.objects.count()] == counts
    assert counts[0] > 10  # enough posts for a second front page


def test_the_demo_post_shows_approved_reader_comments(client, demo):
    text = page_text(client.get(demo.get_absolute_url()))
    assert demo.comment_count == 2
    assert "Karen M." in text and "a yes dressed up as a no" in text
