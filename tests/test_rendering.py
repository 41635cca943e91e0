"""The markup pipeline: quotation codes, sanitizing, and HTML kept fresh on save."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import connection

from blog.models import Post
from quotes.markup import (
    misplaced_block_codes,
    missing_quotation_ids,
    quotation_ids,
    render_comment,
    render_markdown,
)

XSS = (Path(__file__).parent / "data" / "xss-payloads.txt").read_text(encoding="utf-8")
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "style", "math", "form",
                  "input", "base", "meta", "link", "frame", "frameset", "applet"}  # fmt: skip


class ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def assert_safe(html):
    """Parse as a browser would: no dangerous element, handler or URL scheme survives."""
    collector = ElementCollector()
    collector.feed(html)
    for tag, attrs in collector.elements:
        assert tag not in FORBIDDEN_TAGS, html
        for name, value in attrs:
            assert not name.startswith("on"), html
            # As a browser's URL parser: drop tabs and newlines, trim controls and spaces.
            scheme = re.sub(r"[\t\n\r]", "", value or "").strip("\x00- ").lower()
            if name in {"href", "src", "cite", "action", "formaction", "xlink:href"}:
                assert not scheme.startswith(("javascript:", "data:", "vbscript:")), html


def test_block_code_renders_the_attributed_figure(quotation):
    html = render_markdown(f"Lead-in:\n\n[[quote:{quotation.pk}]]\n\nAfter.")
    assert '<figure class="quotation" id="quote-' in html
    assert 'blockquote cite="https://www.nytimes.com/' in html
    assert "<p>No one links these issues to any exchange.</p>" in html
    assert "Dmitri A. Medvedev</a>, President of Russia, at a news conference in Madrid" in html
    assert '<cite><a href="https://www.nytimes.com/' in html
    assert html.index("Lead-in") < html.index("<figure") < html.index("After.")


def test_inline_code_renders_a_linked_q(quotation):
    html = render_markdown(f"He said [[q:{quotation.pk}]] and left.")
    assert re.search(
        rf'<p>He said <q class="quotation-inline" cite="https://[^"]+"><a href="/quotes/'
        rf'{quotation.pk}/" title="Dmitri A. Medvedev, The New York Times"[^>]*>'
        r"No one links these issues to any exchange.</a></q> and left.</p>",
        html,
    ), html


def test_codes_inside_code_spans_stay_literal(quotation):
    html = render_markdown(f"Type `[[q:{quotation.pk}]]` to quote inline.")
    assert f"<code>[[q:{quotation.pk}]]</code>" in html


def test_unknown_codes_never_break_the_page(db):
    html = render_markdown("Before\n\n[[quote:999]]\n\nand [[q:998]] inline.")
    assert "[Quotation 999 is not available.]" in html
    assert "[quotation 998 is not available]" in html
    assert missing_quotation_ids("[[quote:999]] [[q:998]]") == [999, 998]


def test_quotation_ids_in_order_without_repeats():
    assert quotation_ids("[[q:3]]\n[[quote:1]]\n[[q:3]]") == [3, 1]


def test_script_and_event_handlers_are_removed_and_the_text_kept(db):
    html = render_markdown(
        'Keep this.\n\n<script>alert(1)</script>\n\n<img src="x.png" onerror="alert(2)" alt="A">'
        '\n\n<a href="javascript:alert(3)">click me</a>'
    )
    assert "Keep this." in html and "click me" in html
    assert '<img src="x.png" alt="A">' in html
    assert_safe(html)
    assert "alert(1)" not in html


def test_footnote_ids_do_not_collide_between_bodies(db):
    first = render_markdown("A claim.[^1]\n\n[^1]: A note.")
    second = render_markdown("Another.[^1]\n\n[^1]: Another note.")
    ids = re.findall(r'id="([^"]+)"', first) + re.findall(r'id="([^"]+)"', second)
    assert len(ids) == len(set(ids))


def test_every_xss_vector_in_markdown_is_neutralized(db):
    vectors = [line for line in XSS.splitlines() if line.strip()]
    assert len(vectors) > 300
    for vector in vectors:
        assert_safe(render_markdown(vector))


def test_every_xss_vector_in_a_comment_is_neutralized():
    for vector in XSS.splitlines():
        html = render_comment(vector)
        assert_safe(html)
        assert re.fullmatch(r"(<(p|br|/p|a [^>]*|/a)>|[^<])*", html), html


def test_comment_links_are_nofollow_ugc():
    html = render_comment("See https://example.org/page\n\nThanks <b>all</b>")
    assert '<a href="https://example.org/page" rel="nofollow ugc noopener">' in html
    assert "&lt;b&gt;all&lt;/b&gt;" in html


def test_post_html_is_rendered_at_save_time(make_post, quotation):
    post = make_post(f"# Heading\n\n[[quote:{quotation.pk}]]")
    stored = Post.objects.values_list("body_html", flat=True).get(pk=post.pk)
    assert "No one links these issues" in stored
    assert list(post.quotations.all()) == [quotation]


@pytest.mark.parametrize("what", ["speaker", "source", "quotation"])
def test_changing_a_quotation_speaker_or_source_refreshes_every_post(
    what, make_post, quotation, run_worker
):
    posts = [make_post(f"[[quote:{quotation.pk}]]"), make_post(f"Inline [[q:{quotation.pk}]].")]
    with_update = make_post("Body.", updates=[{"body": f"[[quote:{quotation.pk}]]"}])
    if what == "speaker":
        quotation.speaker.name = "Dmitry Medvedev"
        quotation.speaker.save()
        expected = "Dmitry Medvedev"
    elif what == "source":
        quotation.source.publisher = "The Gray Lady"
        quotation.source.save()
        expected = "The Gray Lady"
    else:
        quotation.text = "Words, corrected."
        quotation.save()
        expected = "Words, corrected."
    assert all(post.is_stale for post in Post.objects.all())  # marked, for the worker
    run_worker()
    for post in posts:
        post.refresh_from_db()
        assert expected in post.body_html
    with_update.refresh_from_db()
    assert expected in with_update.updates_appended_html
    assert expected in with_update.updates.get().body_html


def test_an_excerpt_lists_the_quotations_within_it(make_quotation, make_post, speaker, run_worker):
    excerpt = make_quotation("“Nobody links these,” he said.")
    inner = make_quotation("Nobody links these.", speaker=speaker, within=excerpt)
    post = make_post(f"[[quote:{excerpt.pk}]]")
    assert "Quoted in this excerpt" in post.body_html
    assert f'href="/quotes/{inner.pk}/"' in post.body_html
    assert set(post.quotations.all()) == {excerpt, inner}
    speaker.description = "Prime Minister of Russia"
    speaker.save()
    run_worker()
    post.refresh_from_db()
    assert "Prime Minister of Russia" in post.body_html


def test_only_codes_that_render_count_as_citations():
    assert quotation_ids("Mid-line [[quote:5]] is not a block.\n\n[[quote:6]]\n\n[[q:7]]") == [6, 7]


def test_block_codes_are_found_in_text_a_browser_sent_with_crlf_line_endings():
    text = "Intro.\r\n\r\n[[quote:6]]\r\n\r\nMore [[q:7]].\r\n"
    assert quotation_ids(text) == [6, 7]
    assert misplaced_block_codes(text) == []


def test_renaming_a_tag_refreshes_the_stored_pages_of_its_posts(client, make_post, committed):
    post = make_post()
    tag = post.tags.create(name="Missile defence")
    assert "Missile defence" in client.get(post.get_absolute_url()).content.decode()
    tag.name = "Missile defense"
    with committed():
        tag.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Missile defense</a>" in html and "Missile defence" not in html


def test_renaming_an_author_refreshes_their_bylines(client, make_post, author, committed):
    post = make_post()
    assert "By Pat Writer" in client.get(post.get_absolute_url()).content.decode()
    author.first_name = "Patricia"
    with committed():
        author.save()
    assert "By Patricia Writer" in client.get(post.get_absolute_url()).content.decode()


def test_the_post_page_is_one_query_of_stored_html(client, make_post, quotation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post = make_post(f"[[quote:{quotation.pk}]]", updates=[{"body": "Later."}])
    post.tags.create(name="Russia")
    with CaptureQueriesContext(connection) as queries:
        html = client.get(post.get_absolute_url()).content.decode()
    assert len(queries) == 1
    for shown in ["No one links these issues", "Later.", "Russia</a>", "application/ld+json"]:
        assert shown in html


def test_rerender_fills_pages_never_rendered(make_post):
    from django.core.management import call_command

    post = make_post("Words.")
    Post.objects.filter(pk=post.pk).update(
        article_html="", listing_html="", head_html="", rendered_with=0
    )
    call_command("rerender", "--stale", verbosity=0)
    post.refresh_from_db()
    assert "Words." in post.article_html and "Words." in post.listing_html
    assert '<link rel="canonical"' in post.head_html


def test_deleting_tags_in_bulk_takes_them_off_stored_pages(client, make_post, committed):
    from blog.models import Tag

    post = make_post()
    post.tags.create(name="Obsolete")
    assert "Obsolete" in client.get(post.get_absolute_url()).content.decode()
    with committed():
        Tag.objects.filter(name="Obsolete").delete()
    assert "Obsolete" not in client.get(post.get_absolute_url()).content.decode()


def test_markdown_headings_sit_below_the_pages_title(db):
    html = render_markdown("# Background\n\nText.\n\n## Detail\n\n###### Deepest")
    assert "<h2>Background</h2>" in html and "<h3>Detail</h3>" in html
    assert "<h6>Deepest</h6>" in html
    assert "<h1" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's TOAST compression")
def test_a_posts_stored_page_is_compressed_with_lz4(make_post):
    # Migration 0019: pglz cost the database twice lz4's CPU writing each rendered post.
    paragraphs = "\n\n".join(
        f"Paragraph {n} of a long commentary on the treaty." for n in range(300)
    )
    post = make_post(body=paragraphs)
    assert len(post.article_html) > 10_000
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(article_html), pg_column_compression(body_html),"
            " pg_column_compression(body) FROM blog_post WHERE id = %s",
            [post.pk],
        )
        assert cursor.fetchone() == ("lz4", "lz4", "lz4")
