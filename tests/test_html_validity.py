"""Every page type is valid HTML: the W3C Nu Html Checker reports no error and no warning."""

import datetime
import json
import shutil
import subprocess

import pytest
from django.urls import reverse

from blog.models import Tag
from blog.quotation_pages import SPEAKER_ORDER
from quotes.models import Quotation

from .tools import VNU_JAR, require_java_and_vnu


@pytest.fixture
def pages(client, demo):
    quotation = Quotation.objects.filter(speaker__isnull=False).first()
    tag = Tag.objects.get(slug="russia")
    speaker = quotation.speaker.get_absolute_url()
    # A second page of the speaker's quotations: one more of theirs, to page to.
    Quotation.objects.create(
        text="Said long before.",
        speaker=quotation.speaker,
        source=quotation.source,
        said_on=datetime.date(1999, 1, 1),
        is_public=True,
    )
    newest, second = SPEAKER_ORDER.ordered(quotation.speaker.quotations.public())[:2]
    urls = {
        "front": "/",
        "front page 2": "/?page=2",
        "post": demo.get_absolute_url(),
        "archive": reverse("blog:archive"),
        "year archive": reverse("blog:year", args=["2009"]),
        "month archive": reverse("blog:month", args=["2009", "03"]),
        "tags": reverse("blog:tags"),
        "tag": tag.get_absolute_url(),
        "speakers": reverse("quotes:speakers"),
        "speaker": speaker,
        "speaker page 2": f"{speaker}?qbefore={SPEAKER_ORDER.cursor(newest)}",
        "sources": reverse("quotes:sources"),
        "source": quotation.source.get_absolute_url(),
        "quotation": quotation.get_absolute_url(),
        "search": reverse("blog:search") + "?q=russia",
        "empty search": reverse("blog:search"),
        "not found": "/no/such/page/",
    }
    rendered = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), url
        rendered[name] = response.content
    assert f'id="quote-{second.pk}"'.encode() in rendered["speaker page 2"]
    assert b"quotes-newer" in rendered["speaker page 2"]  # its pager is checked too
    return rendered


def test_every_page_type_passes_the_nu_html_checker(pages, tmp_path):
    require_java_and_vnu()
    files = {}
    for name, content in pages.items():
        path = tmp_path / (name.replace(" ", "-") + ".html")
        path.write_bytes(content)
        files[f"file:{path}"] = name  # how the checker names a file in its report
    # One JVM for all pages; the JSON report goes to stderr, exit 1 only means "messages".
    result = subprocess.run(  # noqa: S603 - our own files, a fixed command
        [
            shutil.which("java"),
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            *map(str, tmp_path.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    problems = [
        f"{files.get(m.get('url'), m.get('url'))}: line {m.get('lastLine')}: "
        f"{m.get('subType', m['type'])}: {m['message']}"
        for m in messages
        if m["type"] == "error"
        or m.get("subType") == "warning"
        or m["type"] == "non-document-error"
    ]
    assert not problems, "\n".join(problems)
    assert len(files) == len(pages)
