"""Source checks as editors and readers see them: verification records, the quotation's
admin page and list filter, the post warning, the caption line, the links and the archived
copy."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from integrity import snapshots, verify
from integrity.models import Snapshot, Verification
from integrity.views import SANDBOX_POLICY

from .test_admin import post_form

WORDS = "No one links these issues to any exchange."
TEXT = (
    "MADRID — President Dmitri A. Medvedev said Tuesday that Russia welcomed the letter.\n"
    f"“{WORDS}” he said at a news conference."
)
TAKEN = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def pasted(source, editor):
    with time_machine.travel(TAKEN, tick=False):
        return snapshots.from_editor(source, editor, TEXT, note="print edition")


def differing_verification(quotation, snapshot):
    """A stored "close" result, as the matcher reports one word changed."""
    start = snapshot.text.index("No one")
    return Verification.objects.update_or_create(
        quotation=quotation,
        defaults={
            "snapshot": snapshot, "snapshot_taken_at": snapshot.taken_at, "status": "close",
            "score": 91.0, "exact": WORDS, "prefix": "“", "suffix": "” he said",
            "start": start, "end": start + len(WORDS), "differences": [["nobody", "No one"]],
            "checked_at": snapshot.taken_at,
        },
    )[0]  # fmt: skip


def test_a_quotation_is_verified_against_the_latest_snapshot(quotation, pasted):
    counts = verify.verify_source(quotation.source_id)
    assert counts == {"verbatim": 1}
    verification = Verification.objects.get(quotation=quotation)
    assert verification.snapshot == pasted
    assert verification.found
    assert TEXT[verification.start : verification.end] == verification.exact == WORDS
    assert verification.prefix.endswith("“") and verification.suffix.startswith("”")


def test_a_quotation_is_verified_again_when_its_words_change(quotation, pasted, committed):
    verify.verify_source(quotation.source_id)
    with committed():
        quotation.text = "Words the source never printed."
        quotation.save()
    assert Verification.objects.get(quotation=quotation).status == "not_found"


def test_a_new_quotation_is_verified_when_saved(make_quotation, pasted, committed):
    with committed():
        quotation = make_quotation(text=WORDS)
    assert Verification.objects.get(quotation=quotation).found


def test_the_caption_says_when_the_words_were_checked(quotation, pasted, client, uncached):
    verify.verify_source(quotation.source_id, render_now=True)
    quotation.refresh_from_db()
    archived = reverse("integrity:archived", args=[pasted.pk])
    assert "Checked against" in quotation.block_html
    assert f'<a href="{archived}">the source</a> on <time datetime="2026-03-04">' in (
        quotation.block_html
    )
    page = client.get(quotation.get_absolute_url()).content.decode()
    assert "March 4, 2026" in page
    assert 'class="at-the-words" href="https://www.nytimes.com/2009/03/03/' in page
    assert "#:~:text=" in page
    assert f'<a href="{archived}">Our copy of the source</a>' in page


def test_a_differing_quotation_shows_readers_nothing_about_the_check(
    quotation, pasted, client, uncached
):
    differing_verification(quotation, pasted)
    verify.refresh_pages([quotation.pk], render_now=True)
    quotation.refresh_from_db()
    assert "Checked against" not in quotation.block_html
    page = client.get(quotation.get_absolute_url()).content.decode()
    assert "Checked against" not in page and "at-the-words" not in page


def test_the_quotation_page_costs_the_same_queries_with_a_check(
    quotation, pasted, client, uncached, django_assert_max_num_queries
):
    url = quotation.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(8) as unchecked:
        client.get(url)
    verify.verify_source(quotation.source_id, render_now=True)
    with django_assert_max_num_queries(len(unchecked.captured_queries)):
        assert "at-the-words" in client.get(url).content.decode()


def test_editors_see_the_status_and_the_passage_with_differences(quotation, pasted, client, editor):
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    differing_verification(quotation, pasted)
    page = client.get(reverse("admin:quotes_quotation_change", args=[quotation.pk]))
    html = page.content.decode()
    assert "Differs from the source" in html
    assert f"<mark><ins>No one</ins>{WORDS.removeprefix('No one')}</mark>" in html
    assert "quoted <del>nobody</del>, the source has <ins>No one</ins>" in html


def test_the_quotation_list_filters_by_check(make_quotation, quotation, pasted, admin_client):
    differing = make_quotation(text="Something else entirely, said elsewhere.")
    unchecked = make_quotation(text="Words of a source never fetched.")
    differing_verification(differing, pasted)
    verify.verify_quotations([quotation.pk])
    Verification.objects.filter(quotation=unchecked).delete()
    url = reverse("admin:quotes_quotation_changelist")

    def listed(value):
        response = admin_client.get(url, {"check": value})
        return set(response.context["cl"].result_list)

    assert listed("differs") == {differing}
    assert listed("found") == {quotation}
    assert unchecked in listed("unverified") and quotation not in listed("unverified")
    assert listed("not_found") == set()


def test_the_post_form_warns_without_blocking_when_a_quotation_differs(
    quotation, pasted, admin_client, admin_user
):
    differing_verification(quotation, pasted)
    admin_user.first_name, admin_user.last_name = "Ada", "Admin"  # bylines need a name
    admin_user.save()
    body = f"Look:\n\n[[quote:{quotation.pk}]]\n"
    data = post_form(admin_user, title="Medvedev on the letter", body=body)
    response = admin_client.post(reverse("admin:blog_post_add"), data, follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors
    messages = [str(m) for m in response.context["messages"]]
    assert any(f"[[quote:{quotation.pk}]]" in m and "do not match" in m for m in messages)
    from blog.models import Post

    assert Post.objects.filter(title="Medvedev on the letter").exists()


def test_editors_paste_a_snapshot_in_the_source_admin(quotation, client, editor):
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    source = quotation.source
    url = reverse("admin:quotes_source_change", args=[source.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        published_on="2009-03-02", paste_text=TEXT, snapshot_note="print edition, page A1",
        **{f"{prefix}-{key}": "0" for prefix in ("snapshots", "checks")
           for key in ("TOTAL_FORMS", "INITIAL_FORMS")},
    )  # fmt: skip
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, response.context["adminform"].form.errors
    snapshot = Snapshot.objects.get(source=source)
    assert (snapshot.origin, snapshot.added_by, snapshot.text) == ("pasted", editor, TEXT)
    assert Verification.objects.get(quotation=quotation).found
    assert any("1 verbatim" in str(m) for m in response.context["messages"])


def test_an_uploaded_html_copy_has_its_main_text_extracted(source, editor):
    page = b"<html><body><nav>Menu</nav><article><p>" + WORDS.encode() + b"</p></article></html>"
    upload = SimpleUploadedFile("copy.html", page, content_type="text/html")
    snapshot = snapshots.from_editor(source, editor, upload=upload)
    assert snapshot.origin == "uploaded" and snapshot.document == page
    assert WORDS in snapshot.text


def test_the_archived_copy_shows_the_text_and_serves_the_original_sandboxed(
    source, pasted, client, make_quotation
):
    make_quotation(text=WORDS)  # public: its source is public too
    page = client.get(reverse("integrity:archived", args=[pasted.pk]))
    html = page.content.decode()
    assert "Archived copy" in html and "print edition" in html
    assert "No one links these issues to any exchange." in html
    original = client.get(reverse("integrity:archived_original", args=[pasted.pk]))
    assert original["Content-Security-Policy"] == SANDBOX_POLICY
    assert original["X-Content-Type-Options"] == "nosniff"
    assert original.content == TEXT.encode()


def test_the_archived_copy_of_a_source_readers_cannot_see_is_not_found(source, pasted, client):
    assert client.get(reverse("integrity:archived", args=[pasted.pk])).status_code == 404
    original = reverse("integrity:archived_original", args=[pasted.pk])
    assert client.get(original).status_code == 404


def test_snapshots_are_never_edited_a_new_one_is_added(source, pasted, editor):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        newer = snapshots.from_editor(source, editor, TEXT + "\nA correction was appended.")
    assert Snapshot.objects.latest_for(source.pk) == newer
    pasted.refresh_from_db()
    assert pasted.text == TEXT


def test_the_demo_quotes_a_checked_source_and_shows_one_difference(demo, client, uncached):
    from django.core.management import call_command

    from blog import demo_content
    from quotes.models import Quotation

    excerpt = Quotation.objects.get(text=demo_content.QUOTATIONS["nyt-excerpt"]["text"])
    assert excerpt.verification.found
    assert excerpt.verification.snapshot.origin == "pasted"
    page = client.get(demo.get_absolute_url()).content.decode()
    assert "Checked against" in page
    misquoted = Quotation.objects.get(text=demo_content.MISQUOTED["text"])
    assert misquoted.verification.status == "close"
    assert ["", "new"] in misquoted.verification.differences
    call_command("loaddemo", stdout=io.StringIO())  # again: nothing added
    assert Snapshot.objects.filter(source=excerpt.source).count() == 1


def test_a_bulk_verification_leaves_rendering_to_the_worker(quotation, pasted, run_worker):
    verify.verify_source(quotation.source_id)
    quotation.refresh_from_db()
    assert quotation.is_stale and "Checked against" not in quotation.block_html
    run_worker()
    quotation.refresh_from_db()
    assert not quotation.is_stale and "Checked against" in quotation.block_html


def test_the_quotation_pages_json_ld_carries_the_archived_copy(quotation, pasted, client, uncached):
    import json
    import re

    verify.verify_source(quotation.source_id, render_now=True)
    page = client.get(quotation.get_absolute_url()).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(script.group(1))
    archived = "http://testserver" + reverse("integrity:archived", args=[pasted.pk])
    assert archived in json.dumps(data["isBasedOn"]["archivedAt"])
    assert "#:~:text=" in data["citation"]["url"]
