"""Bad exports get a clear error, never a traceback, and nothing is written."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from blog.models import Post

from .transfer_helpers import DATA, nothing_written, run_import

pytestmark = pytest.mark.django_db

BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<item><title>Boom</title><content:encoded>&d;</content:encoded><wp:post_id>1</wp:post_id>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
"""

# A Blogger export trimmed by hand, as Pelican's test file is: `app:` used, never declared.
UNDECLARED_APP = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>
<id>tag:blogger.com,1999:blog-42</id><generator>Blogger</generator>
<entry><id>tag:blogger.com,1999:blog-42.post-1</id>
<published>2009-03-03T09:05:00.000-05:00</published>
<updated>2009-03-03T09:05:00.000-05:00</updated>
<app:control><app:draft>yes</app:draft></app:control>
<category scheme='http://schemas.google.com/g/2005#kind'
 term='http://schemas.google.com/blogger/2008/kind#post'/>
<title type='text'>Unfinished</title><content type='html'>&lt;p&gt;Draft text.&lt;/p&gt;</content>
<author><name>Jane Doe</name></author></entry>
</feed>
"""


def refused(path):
    with pytest.raises(CommandError) as error:
        run_import(path)
    return str(error.value)


def test_truncated_export_is_refused(tmp_path):
    data = (DATA / "wordpress-sample.wxr").read_bytes()
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    message = refused(truncated)
    assert "it looks truncated" in message and "Nothing was imported" in message
    nothing_written()


def test_truncated_blogger_export_is_refused(tmp_path):
    data = (DATA / "blogger-data-test.xml").read_bytes()
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(data[: len(data) - 5000])
    assert "truncated" in refused(truncated)
    nothing_written()


def test_entity_expansion_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(BOMB)
    message = refused(bomb)
    assert "entity-expansion bomb" in message and "Nothing was imported" in message
    nothing_written()


def test_error_in_the_middle_names_the_item_and_undoes_the_run(tmp_path):
    # The second post's comment has no id; the first post and its comments were loaded.
    data = (DATA / "wordpress-sample.wxr").read_text()
    no_id = "<wp:comment><wp:comment_approved>1</wp:comment_approved></wp:comment>"
    second = "<wp:post_id>102</wp:post_id>"
    path = tmp_path / "broken.xml"
    path.write_text(data.replace(second, second + no_id))
    message = refused(path)
    assert "“A classic post & its paragraphs”" in message and "wp:comment_id" in message
    nothing_written()


def test_not_xml_at_all_and_bad_xml_name_the_problem(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert "not a Blogger export" in refused(text)
    bad = tmp_path / "bad.xml"
    bad.write_text((DATA / "wordpress-sample.wxr").read_text().replace("</title>", "</titl>", 3))
    message = refused(bad)
    assert "not well-formed XML at line" in message and "mismatched tag" in message
    nothing_written()


def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="Cannot read /no/such/export.xml"):
        call_command("importblog", "/no/such/export.xml", stdout=io.StringIO())


def test_undeclared_app_prefix_is_recovered(tmp_path):
    path = tmp_path / "trimmed.xml"
    path.write_text(UNDECLARED_APP)
    report = run_import(path)
    assert "drafts: 1" in report
    post = Post.objects.get()
    assert post.title == "Unfinished" and post.status == Post.Status.DRAFT


def test_imported_html_goes_through_the_sanitizer(tmp_path, run_worker):
    payloads = (DATA / "xss-payloads.txt").read_text(encoding="utf-8").split("\n")
    body = "\n".join(f"<p>{p}</p>" for p in payloads if p).replace("]]>", "]]]]><![CDATA[>")
    body = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", body)  # no XML file can hold these
    sample = (DATA / "wordpress-sample.wxr").read_text()
    start = sample.index("<content:encoded><![CDATA[") + len("<content:encoded><![CDATA[")
    end = sample.index("]]></content:encoded>", start)
    path = tmp_path / "xss.xml"
    path.write_text(sample[:start] + body + sample[end:])
    run_import(path)
    run_worker()
    html = Post.objects.get(slug="medvedev-answers").body_html.lower()
    assert len(html) > 10_000
    for bad in ("<script", "<iframe", "<svg", "<style", "<object", "<embed", "<form"):
        assert bad not in html
    assert not re.search(r"<[^>]+\son\w+\s*=", html)  # no event handler attribute
    assert not re.search(r"""<[^>]*\s(href|src)\s*=\s*["']?\s*(javascript|data|vbscript):""", html)
