"""Input that cannot stall a worker: pathological markdown renders or is refused, fast.

Each input goes through the admin's post form and the editor's preview, and must answer
within a second: the post saved and rendered, or the form shown again with a clear error
and the text as typed; never a 500.
"""

import time

import pytest
from django.urls import reverse
from django.utils.html import escape

from blog.models import Post
from quotes import markup
from tests.test_admin import ADD_POST, errors_of, post_form

PATHOLOGICAL = {
    "8 KB of [": "[" * 8192,
    "16 KB of [": "[" * 16384,
    "8 KB of *": "*" * 8192,
    "8 KB of _": "_" * 8192,
    "8 KB of <": "<" * 8192,
    "8 KB of >": ">" * 8192,
    "8 KB of [a": "[a" * 4096,
    "8 KB of ![": "![" * 4096,
    "8 KB of [](": "[](" * 2730,
    "8 KB of []('": "[]('" * 2048,
    "8 KB of [^": "[^" * 4096,
    "32 KB of <a": "<a" * 16384,
    "1 KB of nested - ": "- " * 512 + "a",
    "nested list lines": "".join("    " * i + "- item\n" for i in range(200)),
    "1 KB of nested > ": "> " * 512 + "a",
    "many abbreviations": "*[a]: b\n" * 2000,
}


def answered_within_a_second(send):
    start = time.perf_counter()
    response = send()
    elapsed = time.perf_counter() - start
    assert elapsed < 1, f"took {elapsed:.2f} s"
    return response


@pytest.mark.parametrize("body", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_the_admin_form_saves_or_refuses_it_quickly_keeping_the_text(editor_client, editor, body):
    editor_client.get(ADD_POST)  # the editor opens the form first (and its templates load)
    response = answered_within_a_second(
        lambda: editor_client.post(ADD_POST, post_form(editor, body=body))
    )
    if response.status_code == 302:
        post = Post.objects.get()
        assert post.body == body and post.body_html
    else:
        assert response.status_code == 200
        assert errors_of(response).strip()
        assert escape(body) in response.content.decode()  # the textarea keeps it
        assert not Post.objects.exists()


@pytest.mark.parametrize("content", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_the_preview_renders_it_or_says_why_quickly(editor_client, content):
    url = reverse("markdownx_markdownify")
    response = answered_within_a_second(lambda: editor_client.post(url, {"content": content}))
    assert response.status_code == 200
    assert response.content


def test_a_refusal_says_what_to_change():
    with pytest.raises(markup.MarkupError, match="more than 32 levels deep"):
        markup.render_markdown("- " * 512 + "a")
    with pytest.raises(markup.MarkupError, match="at most 200,000 can be rendered"):
        markup.render_markdown("word " * 50_000)


def test_ordinary_links_footnotes_and_nesting_still_render():
    text = (
        "A [link](https://example.org/a_(b) 'title') and ![img](/i.png), [ref][r], "
        "a note[^1].\n\n[r]: https://example.org/ref\n[^1]: The note.\n\n"
        "- one\n    - two\n        - three\n\n> quoted\n> > twice"
    )
    html = markup.render_markdown(text)
    assert '<a href="https://example.org/a_(b)" title="title"' in html
    assert '<img alt="img" src="/i.png">' in html
    assert '<a href="https://example.org/ref"' in html
    assert "The note." in html and "<li>three</li>" in html
    assert html.count("<blockquote>") == 2


def test_one_text_leaves_nothing_behind_for_the_next():
    """The Markdown instance is reused: references, footnotes, abbreviations, quotations
    and the link-scan budget of one text never reach the next one."""
    first = (
        "[r]: https://example.org/ref\n\nA note[^1] on HTML.\n\n[^1]: Noted.\n\n"
        "*[HTML]: Hyper Text\n\n" + "[a" * 4096
    )
    markup.render_markdown(first, quotations={7: type("Q", (), {"inline_html": "<q>x</q>"})})
    second = "[ref][r] on HTML, [[q:7]] and [a link](https://example.org/b)."
    html = markup.render_markdown(second, quotations={})
    assert "https://example.org/ref" not in html and "Noted." not in html
    assert "<abbr" not in html and "<q>x</q>" not in html
    assert "quotation 7 is not available" in html
    assert '<a href="https://example.org/b" rel="noopener">a link</a>' in html


def test_the_preview_shows_a_refusal_as_a_message(editor_client):
    response = editor_client.post(reverse("markdownx_markdownify"), {"content": "- " * 512})
    assert response.status_code == 200
    assert '<p class="markup-error">' in response.content.decode()


def test_an_update_or_a_quotation_that_cannot_render_is_a_form_error_too(
    editor_client, editor, source
):
    body = "- " * 512 + "a"
    updates = [{"kind": "update", "placement": "appended", "body": body}]
    response = answered_within_a_second(
        lambda: editor_client.post(ADD_POST, post_form(editor, updates=updates))
    )
    assert response.status_code == 200 and "levels deep" in errors_of(response)
    assert not Post.objects.exists()
    data = {"text": "[" * 16384 + "\n\n" + body, "source": source.pk}
    response = answered_within_a_second(
        lambda: editor_client.post(reverse("admin:quotes_quotation_add"), data)
    )
    assert response.status_code == 200 and "levels deep" in errors_of(response)
