"""Editors cannot misattribute by accident (issue 12): duplicates caught at creation,
choices told apart, "part of" validated, merges, plain text escaped once, bylines."""

import datetime
import html
import json
import re
from xml.etree import ElementTree as ET

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from quotes.duplicates import fold_name, names_match, normal_url
from quotes.models import Quotation, Source, Speaker

from .test_admin import errors_of, post_form

SPEAKER_ADD = reverse("admin:quotes_speaker_add")
SOURCE_ADD = reverse("admin:quotes_source_add")
POPUP = "?_to_field=id&_popup=1"


def popup_data(response):
    """The {"value", "obj"} a popup hands back to the form that opened it."""
    found = re.search(r'data-popup-response="([^"]*)"', response.content.decode())
    assert found, "not a popup response"
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Dmitri A. Medvedev", "Dmitry Medvedev"),
        ("Dmitri A. Medvedev", "DMITRIJ MEDVÉDEV"),
        ("Recep Tayyip Erdoğan", "recep tayyip erdogan"),
    ],
)
def test_names_fold_accents_case_initials_and_spellings(a, b):
    assert names_match(a, b)


def test_different_people_do_not_fold_alike():
    assert not names_match("Dmitri A. Medvedev", "Dmitri Peskov")
    assert fold_name("Dmitri A. Medvedev") == fold_name("Dmitry Medvedev")


def test_addresses_are_compared_normalised():
    a = "https://www.nytimes.com/2009/03/03/washington/03prexy.html?utm_source=x#top"
    assert normal_url(a) == normal_url("http://nytimes.com/2009/03/03/washington/03prexy.html/")
    assert normal_url(a) != normal_url("https://nytimes.com/2009/03/04/other.html")


def test_a_likely_duplicate_speaker_is_offered_before_another_is_created(editor_client, speaker):
    response = editor_client.post(SPEAKER_ADD, {"name": "Dmitry Medvedev"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Already in the records?" in page
    assert "Dmitri A. Medvedev — President of Russia" in page
    change = reverse("admin:quotes_speaker_change", args=[speaker.pk])
    assert f'class="button use-existing" href="{change}"' in page
    assert "looks like a record that already exists" in errors_of(response)
    assert Speaker.objects.count() == 1

    # Creating anyway needs a description that tells them apart.
    response = editor_client.post(
        SPEAKER_ADD, {"name": "Dmitry Medvedev", "create_anyway": "on", "description": ""}
    )
    assert "needs a description that tells them apart" in errors_of(response)
    editor_client.post(
        SPEAKER_ADD,
        {"name": "Dmitry Medvedev", "create_anyway": "on", "description": "Ice hockey player"},
    )
    assert Speaker.objects.filter(description="Ice hockey player").exists()


def test_use_this_one_in_a_popup_hands_the_existing_record_to_the_opener(editor_client, speaker):
    response = editor_client.post(SPEAKER_ADD + POPUP, {"name": "Dmitry Medvedev", "_popup": "1"})
    use = reverse("admin:quotes_speaker_use", args=[speaker.pk])
    assert f'href="{use}?_popup=1"' in response.content.decode()
    data = popup_data(editor_client.get(use + "?_popup=1"))
    assert data == {"value": str(speaker.pk), "obj": "Dmitri A. Medvedev — President of Russia"}
    assert Speaker.objects.count() == 1


def test_a_record_created_in_a_popup_comes_back_marked_new(editor_client, db):
    response = editor_client.post(
        SPEAKER_ADD + POPUP, {"name": "Sergey Lavrov", "description": "Minister", "_popup": "1"}
    )
    assert popup_data(response)["obj"] == "Sergey Lavrov — Minister (new)"


@pytest.mark.parametrize(
    "fields",
    [
        # The same article by its address, typed differently.
        {"title": "Secret letter", "url": "http://nytimes.com/2009/03/03/washington/03prexy.html"},
        # The same title, publisher and date.
        {"title": "Obama Offered Deal to Russia in Secret Letter",
         "publisher": "the new york times", "published_on": "2009-03-02"},
    ],
)  # fmt: skip
def test_a_likely_duplicate_source_is_offered(editor_client, source, fields):
    data = {"kind": "article", **fields}
    response = editor_client.post(SOURCE_ADD, data)
    assert "looks like a record that already exists" in errors_of(response)
    assert source.finder_label() in html.unescape(response.content.decode())
    assert Source.objects.count() == 1
    editor_client.post(SOURCE_ADD, {**data, "create_anyway": "on", "notes": "Print edition"})
    assert Source.objects.count() == 2


def test_an_unrelated_source_is_created_at_once(editor_client, source):
    editor_client.post(SOURCE_ADD, {"title": "Inaugural Address", "kind": "speech"})
    assert Source.objects.filter(title="Inaugural Address").exists()


def autocomplete(client, app, model, field, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app, "model_name": model, "field_name": field, "term": term},
    )
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


def test_finder_lines_tell_records_apart(editor_client, source, make_quotation, speaker):
    reprint = Source.objects.create(
        title=source.title, publisher=source.publisher, published_on=datetime.date(2009, 3, 3),
        url="https://international.nytimes.com/2009/03/03/letter.html",
    )  # fmt: skip
    lines = autocomplete(editor_client, "quotes", "quotation", "source", "Secret Letter")
    assert len(lines) == len(set(lines)) == 2
    assert "Mar 2, 2009" in " ".join(lines) and "international.nytimes.com" in " ".join(lines)

    excerpt = make_quotation("The whole passage, as reported.")
    words = "No one links these issues to any exchange."
    first = make_quotation(words, speaker=speaker, within=excerpt)
    second = make_quotation(words, speaker=speaker, source=reprint)
    lines = autocomplete(editor_client, "blog", "post", "quotations", "exchange")
    assert len(lines) == len(set(lines)) == 2
    assert any(line.startswith(f"#{first.pk} ") and "Mar 2, 2009" in line for line in lines)
    assert any(line.startswith(f"#{second.pk} ") and "Mar 3, 2009" in line for line in lines)
    (line,) = autocomplete(editor_client, "blog", "post", "quotations", "whole passage")
    assert line.startswith(f"#{excerpt.pk} ") and line.endswith(" · excerpt")

    speakers = autocomplete(editor_client, "quotes", "quotation", "speaker", "Medvedev")
    assert speakers == ["Dmitri A. Medvedev — President of Russia"]


def quotation_data(**fields):
    return {"text": "Words said.", **fields}


def test_part_of_only_an_excerpt_of_the_same_source(editor_client, source, speaker):
    other_source = Source.objects.create(title="Another article", publisher="Reuters")
    foreign = Quotation.objects.create(text="Elsewhere.", source=other_source)
    spoken = Quotation.objects.create(text="His words.", source=source, speaker=speaker)
    excerpt = Quotation.objects.create(text="The passage.", source=source)
    inner = Quotation.objects.create(text="Inner.", source=source, within=excerpt)
    add = reverse("admin:quotes_quotation_add")
    cases = [
        (foreign, "the excerpt must be from the same source"),
        (spoken, "another speaker's words cannot be part of it"),
        (inner, f"is itself part of excerpt #{excerpt.pk}"),
    ]
    for target, message in cases:
        response = editor_client.post(add, quotation_data(source=source.pk, within=target.pk))
        assert message in html.unescape(errors_of(response)), message
    assert not Quotation.objects.filter(text="Words said.").exists()


def test_the_part_of_finder_offers_only_what_can_hold_quotations(editor_client, source):
    excerpt = Quotation.objects.create(text="The passage about missiles.", source=source)
    Quotation.objects.create(text="Inner missiles words.", source=source, within=excerpt)
    lines = autocomplete(editor_client, "quotes", "quotation", "within", "missiles")
    assert len(lines) == 1 and lines[0].startswith(f"#{excerpt.pk} ")


def test_part_of_never_makes_a_cycle(editor_client, source):
    excerpt = Quotation.objects.create(text="The passage.", source=source)
    inner = Quotation.objects.create(text="Inner.", source=source, within=excerpt)
    other = Quotation.objects.create(text="Another passage.", source=source)
    change = reverse("admin:quotes_quotation_change", args=[excerpt.pk])
    for target in (inner, other):
        response = editor_client.post(
            change, quotation_data(text="The passage.", source=source.pk, within=target.pk)
        )
        errors = html.unescape(errors_of(response))
        assert "an excerpt cannot be part of another one" in errors
    excerpt.refresh_from_db()
    assert excerpt.within_id is None


def test_named_and_anonymous_is_a_field_error_in_words(editor_client, source, speaker):
    response = editor_client.post(
        reverse("admin:quotes_quotation_add") + POPUP,
        quotation_data(source=source.pk, speaker=speaker.pk, anonymous_description="an aide",
                       _popup="1"),
    )  # fmt: skip
    page = response.content.decode()
    assert "Constraint" not in page and "quotation_named_or_anonymous" not in page
    assert re.search(r"field-anonymous_description.*?either by a named speaker", page, re.S)


def test_merging_two_speakers_moves_quotations_redirects_and_renders_in_the_background(
    editor_client, editor, make_post, make_quotation, speaker, run_worker, committed
):
    editor.user_permissions.add(*editor.user_permissions.none())  # the delete perm suffices
    twin = Speaker.objects.create(name="Dmitry Medvedev", description="Russian president")
    kept_q = make_quotation("We are working closely.", speaker=speaker)
    moved_q = make_quotation("No one links these issues.", speaker=twin)
    post_a = make_post(f"[[quote:{kept_q.pk}]]")
    post_b = make_post(f"Said [[q:{moved_q.pk}]] in Madrid.\n\n[[quote:{moved_q.pk}]]")
    assert "Dmitry Medvedev" in Post.objects.get(pk=post_b.pk).body_html
    old_url = twin.get_absolute_url()

    changelist = reverse("admin:quotes_speaker_changelist")
    selected = {"action": "merge_selected", "_selected_action": [speaker.pk, twin.pk]}
    confirm = editor_client.post(changelist, selected)
    assert "Pick the one to keep" in confirm.content.decode()
    with committed():
        response = editor_client.post(changelist, {**selected, "keep": speaker.pk, "apply": "1"})
    assert response.status_code == 302
    assert not Speaker.objects.filter(pk=twin.pk).exists()
    assert Quotation.objects.get(pk=moved_q.pk).speaker_id == speaker.pk
    # The move is a revision of the quotation (who, why), after one naming the other speaker.
    latest, before = Quotation.objects.get(pk=moved_q.pk).history.order_by("-history_id")[:2]
    assert (latest.speaker_id, before.speaker_id) == (speaker.pk, twin.pk)
    assert latest.history_user == editor and "merged into" in latest.history_change_reason
    # Nothing rendered per row in the request: the pages wait for the job.
    assert Post.objects.get(pk=post_b.pk).rendered_with == 0
    assert run_worker() >= 1
    for post in (post_a, post_b):
        body = Post.objects.get(pk=post.pk).body_html
        assert "Dmitri A. Medvedev" in body and "Dmitry Medvedev" not in body
    page = editor_client.get(post_b.get_absolute_url()).content.decode()
    assert "Dmitri A. Medvedev" in page and "Dmitry Medvedev" not in page

    moved = editor_client.get(old_url)
    assert moved.status_code == 301 and moved["Location"].endswith(speaker.get_absolute_url())
    entry = LogEntry.objects.get(object_id=str(speaker.pk))
    assert "Dmitry Medvedev" in entry.get_change_message()
    assert f"#{moved_q.pk}" in entry.get_change_message()


def test_merging_two_sources_moves_their_quotations(
    editor_client, source, make_quotation, make_post, run_worker, committed
):
    twin = Source.objects.create(title="Secret letter", publisher="NYT")
    quotation = make_quotation("Words.", source=twin)
    post = make_post(f"[[quote:{quotation.pk}]]")
    changelist = reverse("admin:quotes_source_changelist")
    with committed():
        editor_client.post(
            changelist,
            {"action": "merge_selected", "_selected_action": [source.pk, twin.pk],
             "keep": source.pk, "apply": "1"},
        )  # fmt: skip
    run_worker()
    assert Quotation.objects.get(pk=quotation.pk).source_id == source.pk
    assert "The New York Times" in Post.objects.get(pk=post.pk).sources_html
    assert editor_client.get(twin.get_absolute_url()).status_code == 301


TRICKY = "AT&T <b>bold</b> \"quoted\" 'single' 1 < 2 > 0"


def test_plain_text_keeps_quotation_marks_and_is_escaped_once(client, make_post, source, author):
    speaker = Speaker.objects.create(name='Smith & <Sons> "Jr"')
    quotation = Quotation.objects.create(
        text='Profits & "matter" 1 < 2', source=source, speaker=speaker, is_public=True
    )
    post = make_post(f"{TRICKY}: he said [[q:{quotation.pk}]] yesterday.", title=f"Title {TRICKY}")
    assert post.summary.startswith("AT&T bold \"quoted\" 'single' 1 < 2 > 0")
    assert 'he said “Profits & "matter" 1 < 2” yesterday' in post.summary

    pages = [
        post.get_absolute_url(), "/", quotation.get_absolute_url(), speaker.get_absolute_url(),
        source.get_absolute_url(), "/feed.atom", "/feed.rss",
        reverse("quotes:speaker_feed_atom", args=[speaker.slug]),
        reverse("quotes:speaker_feed_rss", args=[speaker.slug]),
        reverse("quotes:source_feed_atom", args=[source.slug]), "/search/?q=profits",
    ]  # fmt: skip
    for url in pages:
        text = client.get(url).content.decode()
        if "feed" in url:  # XML: each text decoded once, then (Atom's type="html") as HTML
            text = "".join(feed_texts(parse(text.encode())))
        assert "&amp;amp;" not in text and "&amp;lt;" not in text and "&amp;quot;" not in text, url
        assert "&amp;#x27;" not in text and "&amp;#39;" not in text, url
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            for value in strings(json.loads(block)):
                assert "&amp;" not in value and "&lt;" not in value, (url, value)

    page = client.get(post.get_absolute_url()).content.decode()
    meta = html.unescape(re.search(r'<meta name="description" content="([^"]*)"', page)[1])
    og = html.unescape(re.search(r'<meta property="og:description" content="([^"]*)"', page)[1])
    for described in (meta, og):
        assert '“Profits & "matter" 1 < 2”' in described and "AT&T" in described
    results = html.unescape(client.get("/search/?q=profits").content.decode())
    assert 'he said “Profits & "matter" 1 < 2”' in results  # the search snippet
    atom = parse(client.get("/feed.atom").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    summary = atom.find("a:entry/a:summary", ns)
    assert summary.get("type") == "html"  # the text escaped once as HTML, then as XML
    assert '“Profits & "matter" 1 < 2”' in html.unescape(summary.text)
    title = atom.find("a:entry/a:title", ns).text
    assert title == f"Title {TRICKY}"
    speaker_feed = parse(
        client.get(reverse("quotes:speaker_feed_atom", args=[speaker.slug])).content
    )
    assert speaker_feed.find("a:title", ns).text.endswith('Smith & <Sons> "Jr"')
    quotation_page = client.get(quotation.get_absolute_url()).content.decode()
    title = html.unescape(re.search(r"<title>(.*?)</title>", quotation_page, re.S)[1])
    assert 'Profits & "matter" 1 < 2' in title


def parse(xml):
    return ET.fromstring(xml)  # noqa: S314 - our own response


def feed_texts(root):
    for element in root.iter():
        value = element.text or ""
        yield html.unescape(value) if element.get("type") == "html" else value


def strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def test_bylines_use_the_display_name_never_the_login(client, django_user_model, uncached):
    login = django_user_model.objects.create_user("jdoe42")
    post = Post.objects.create(
        title="Nameless", body="Words.", author=login, status=Post.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )  # fmt: skip
    for url in [post.get_absolute_url(), "/", "/feed.atom", "/feed.rss"]:
        assert "jdoe42" not in client.get(url).content.decode(), url
    login.first_name, login.last_name = "Jane", "Doe"
    login.save()
    from blog.rendering import render_post

    render_post(post.pk)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "By Jane Doe" in page and '"name": "Jane Doe"' in page


def test_publishing_asks_for_a_display_name(client, django_user_model, db):
    from django.contrib.auth.models import Permission

    nameless = django_user_model.objects.create_user("ed2", password="pw", is_staff=True)
    nameless.user_permissions.set(Permission.objects.filter(codename__endswith="_post"))
    client.force_login(nameless)
    response = client.post(reverse("admin:blog_post_add"), post_form(nameless))
    assert "The byline needs a display name" in html.unescape(errors_of(response))
    assert not Post.objects.exists()
    assert "Your name, as bylines show it" in response.content.decode()
    client.post(reverse("admin:blog_post_add"), post_form(nameless, status="draft"))
    assert Post.objects.count() == 1
    # The admin asks for the name once; it goes to the account and the byline.
    client.post(
        reverse("admin:blog_post_add"),
        post_form(nameless, title="Signed", byline_name="Jo Nameless"),
    )
    nameless.refresh_from_db()
    assert nameless.get_full_name() == "Jo Nameless"
    post = Post.objects.get(status="published")
    assert "By Jo Nameless" in post.article_html and "ed2" not in post.article_html


def test_date_fields_name_the_blog_time_zone(editor_client):
    page = editor_client.get(reverse("admin:blog_post_add")).content.decode()
    assert "In New York time. A published post" in page
    # An unsaved post points to the picked quotations' own rows, never "None yet".
    assert "Pick or add quotations above" in page and "None yet" not in page
    assert 'src="/static/js/post-editor.js"' in page


def test_loaddemo_twice_with_an_editors_duplicate_between(editor_client, db):
    call_command("loaddemo", verbosity=0)
    counts = {m: m.objects.count() for m in (Post, Quotation, Source, Speaker)}
    nyt = Source.objects.get(slug__startswith="the-new-york-times")
    Source.objects.create(title=nyt.title, publisher=nyt.publisher, published_on=nyt.published_on)
    Speaker.objects.create(name="Dmitri A. Medvedev", description="Another one")
    Quotation.objects.create(text=nyt.quotations.order_by("pk").first().text, source=nyt)
    nyt.title = "Renamed by an editor"
    nyt.save()
    call_command("loaddemo", verbosity=0)
    after = {m: m.objects.count() for m in (Post, Quotation, Source, Speaker)}
    assert after == {m: n + 1 for m, n in counts.items() if m is not Post} | {Post: counts[Post]}


def test_no_doubled_dashes_or_quotation_marks_on_demo_pages_and_admin_messages(
    client, editor_client, demo, source
):
    urls = ["/", demo.get_absolute_url(), "/feed.atom", "/speakers/", "/sources/"]
    urls += [q.get_absolute_url() for q in demo.quotations.all()]
    urls += [s.get_absolute_url() for s in Speaker.objects.all()]
    urls += [s.get_absolute_url() for s in Source.objects.all()]
    for url in urls:
        text = re.sub(r"<script.*?</script>", "", client.get(url).content.decode(), flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
        assert not re.search(r"—\s*—", text), url
        assert not re.search(r"[“”\"]{2}", text.replace('""', "")), url
    anonymous = demo.quotations.get(anonymous_description__startswith="a senior")
    page = client.get(anonymous.get_absolute_url()).content.decode()
    assert "(not named because the letter had not been made public)" in page

    response = editor_client.post(
        reverse("admin:quotes_quotation_change", args=[anonymous.pk]),
        {"text": anonymous.text, "source": anonymous.source_id, "within": anonymous.within_id,
         "anonymous_description": anonymous.anonymous_description,
         "anonymity_reason": anonymous.anonymity_reason},
        follow=True,
    )  # fmt: skip
    messages = [str(m) for m in response.context["messages"]]
    assert messages and "was changed successfully" in messages[0]
    for message in messages:
        assert not re.search(r"[“”]{2}|—\s*—", message), message


def test_the_page_preview_shows_title_byline_updates_and_sources(editor_client, quotation):
    response = editor_client.post(
        reverse("page_preview"),
        {
            "title": "Madrid & after",
            "body": f"Intro.\n\n[[quote:{quotation.pk}]]",
            "published_at": "2009-03-03 10:00:00",
            "updates-TOTAL_FORMS": "1",
            "updates-0-body": "Moscow **later** said nothing.",
            "updates-0-kind": "correction",
            "updates-0-placement": "top",
            "updates-0-timestamp": "2009-03-04 09:00:00",
        },
    )
    page = response.content.decode()
    assert "<h1>Madrid &amp; after</h1>" in page
    assert "By Edie Tor" in page
    assert "Moscow <strong>later</strong> said nothing." in page
    assert 'class="updates updates-top"' in page
    assert 'class="sources"' in page and "The New York Times" in page
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("reason", "caption"),
    [
        ("because the letter had not been made public", "not named because the letter had"),
        ("Because the letter had not been made public.", "not named because the letter had"),
        ("The letter had not been made public —", "not named: the letter had not been made"),
        ("NATO rules forbid it", "not named: NATO rules forbid it"),
    ],
)
def test_the_anonymity_reason_reads_as_a_clause(source, reason, caption):
    quotation = Quotation.objects.create(
        text="Words.", source=source, anonymous_description="an aide", anonymity_reason=reason
    )
    block = Quotation.objects.get(pk=quotation.pk).block_html
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", block)).split())
    assert f"an aide, {caption}" in text
    assert not re.search(r"—\s*—|\.\s*—", text)
