"""A link built from a located quotation opens the source page on the quoted words.

The source page is served by a plain HTTP server on 127.0.0.1 and opened by address in a
new page (page.goto is a browser-initiated navigation, which Chromium lets scroll to a
text fragment; a script-initiated one would need a user gesture).
"""

import functools
import html
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrity.fragments import text_fragment_url
from integrity.matching import locate

FILLER = "Paragraph {} of the report: ordinary words about roads, schools and the weather."
DECOY = "Critics said the plan — costly, yet fair, and well-timed — would only delay reform."
TARGET = "On Friday Zürich’s mayor said the plan — costly, yet fair, and well-timed — would pass."
CLOSE = "Officials expect the vote in the assembly to be close."
NEXT = "On Wednesday the parliament voted against the bill after a long debate."
# Where each paragraph stands: the decoy near the top, the passages far below the fold.
PARAGRAPHS = {12: DECOY, 70: TARGET, 110: CLOSE, 111: NEXT}


@pytest.fixture(scope="module")
def source_page(tmp_path_factory):
    """(address, text) of a long source page served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("source")
    paragraphs = [PARAGRAPHS.get(i, FILLER.format(i)) for i in range(140)]
    body = "".join(f'<p id="p{i}">{html.escape(text)}</p>' for i, text in enumerate(paragraphs))
    (folder / "article.html").write_text(
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>Report</title>{body}',
        encoding="utf-8",
    )
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/article.html", "\n\n".join(paragraphs)
    server.shutdown()
    thread.join()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_(url):
        context = browser.new_context(viewport={"width": 1024, "height": 700})
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()


def in_viewport(page, element_id):
    box = page.evaluate(
        f"(() => {{ const r = document.getElementById('{element_id}').getBoundingClientRect();"
        " return [r.top, r.bottom, window.innerHeight]; })()"
    )
    return 0 <= box[0] and box[1] <= box[2]


def fragment_for(quotation, address, text):
    match = locate(quotation, text)
    assert match.status in {"verbatim", "normalised"}
    return text_fragment_url(address, match.exact, match.prefix, match.suffix)


def test_the_link_scrolls_to_words_with_commas_dashes_and_non_ascii(
    source_page, open_page, output_dir
):
    address, text = source_page
    quotation = "the plan - costly, yet fair, and well-timed"
    # The critics used the same words near the top; the mayor's are the ones quoted.
    url = fragment_for(quotation, address, text[text.index(FILLER.format(69)) :])
    assert "mayor%20said-," in url
    assert "%2C" in url and "%E2%80%94" in url and "well%2Dtimed" in url and "Z%C3%BCrich" in url
    page = open_page(url)
    page.wait_for_function("window.scrollY > 0")
    assert in_viewport(page, "p70")
    # The prefix put the start on the mayor's words, not the critics'.
    assert not in_viewport(page, "p12")
    page.screenshot(path=output_dir / "screenshots" / "text-fragment.png")


def test_the_link_opens_a_quotation_split_across_two_paragraphs(source_page, open_page):
    address, text = source_page
    url = fragment_for("to be close. On Wednesday the parliament voted", address, text)
    page = open_page(url)
    page.wait_for_function("window.scrollY > 0")
    assert in_viewport(page, "p110") and in_viewport(page, "p111")
    assert not in_viewport(page, "p70")


def test_unencoded_commas_break_the_directive(source_page, open_page):
    """The control: the same passage with its commas left raw reads as three terms, an
    invalid directive, and the page stays at the top."""
    address, _ = source_page
    page = open_page(address + "#:~:text=the plan — costly, yet fair, and well-timed")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert page.evaluate("window.scrollY") == 0
