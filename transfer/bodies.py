"""Imported HTML -> the body format, and the quotations found on the way in.

A body is markdown with quotation codes (quotes/markup.py). Imported HTML is kept as HTML,
sanitized here by the pipeline's own allow-list and wrapped in one HTML block
(`<div class="imported">`), which markdown passes through untouched: converting HTML to
markdown loses what markdown cannot say (tables, figures, attributes), HTML keeps every
word. Gutenberg's `<!-- wp:... -->` block comments are dropped; WordPress classic text
(paragraphs by blank lines, no tags) gets its paragraphs as WordPress's wpautop would.

A quotation is a `<blockquote>` with a `cite` URL, or one preceded by a source line
("NYT:") or ending with "— Name": it becomes a proposed Quotation (needs review) and the
body embeds it with `[[quote:ID]]` on a line of its own.
"""

import dataclasses
import html as html_lib
import re
from urllib.parse import urlsplit

from django.utils.html import strip_tags

from quotes import markup
from quotes.plaintext import html_to_text

WP_BLOCK = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
BLOCK_TAG = re.compile(r"<(p|div|h[1-6]|ul|ol|blockquote|table|pre|figure)\b", re.I)
BLOCKQUOTE = re.compile(r"<blockquote\b([^>]*)>(.*?)</blockquote>", re.S)
CITE_ATTR = re.compile(r'\bcite="([^"]*)"')
# "NYT:", "The Washington Post:" alone in the paragraph before the blockquote (4 words at most).
SOURCE_LINE = re.compile(r"<p>\s*([A-Z][\w.&'’-]*(?: [\w.&'’-]+){0,3})\s*:\s*</p>\s*$")
SPEAKER_LINE = re.compile(r"<p>\s*(?:—|–|―|--?)\s*([^<]{2,100}?)\s*</p>\s*$")
CITE_TAG = re.compile(r"\s*<cite>(.*?)</cite>\s*", re.S)


@dataclasses.dataclass
class Found:
    """A quotation found in imported HTML."""

    text: str
    url: str = ""
    publisher: str = ""
    speaker: str = ""
    title: str = ""


def plain_text(value):
    """A comment's HTML as plain text, line breaks kept (titles: quotes/plaintext.py)."""
    value = re.sub(r"<br\s*/?>|</p>", "\n", value or "", flags=re.I)
    return html_lib.unescape(strip_tags(value)).strip()


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#+!|-])")


def quotation_text(value):
    """A blockquote's HTML as the words of a quotation: paragraphs of plain text, with what
    markdown would read as markup escaped, so every word shows as it was."""
    paragraphs = re.split(r"</p>|<br\s*/?>\s*<br\s*/?>", value, flags=re.I)
    words = (" ".join(plain_text(p).split()) for p in paragraphs)
    escaped = (
        MARKDOWN_SPECIAL.sub(r"\\\1", w.replace("&", "&amp;").replace("<", "&lt;")) for w in words
    )
    return "\n\n".join(w for w in escaped if w)


def autop(value):
    """Blank-line paragraphs of WordPress classic text as <p>, single newlines as <br>."""
    paragraphs = re.split(r"\n\s*\n", value.replace("\r\n", "\n").strip())
    return "".join(f"<p>{p.strip().replace(chr(10), '<br>')}</p>" for p in paragraphs if p.strip())


def parts(value):
    """The HTML as sanitized pieces of HTML and Found quotations, in order."""
    value = WP_BLOCK.sub("", value or "")
    if not BLOCK_TAG.search(value):
        value = autop(value)
    value = markup.post_cleaner.clean(value).replace("[[", "&#91;&#91;")  # no stray codes
    pieces, start = [], 0
    for match in BLOCKQUOTE.finditer(value):
        before = value[start : match.start()]
        found = quotation(match, before)
        if found is None:
            continue
        if found.publisher:
            before = SOURCE_LINE.sub("", before)
        pieces += [before, found]
        start = match.end()
    pieces.append(value[start:])
    return [p for p in pieces if not isinstance(p, str) or p.strip()]


def quotation(match, before):
    inner = match.group(2)
    if "<blockquote" in inner:
        return None  # nested quotes stay as they are
    url = html_lib.unescape(m.group(1)) if (m := CITE_ATTR.search(match.group(1))) else ""
    url = url if urlsplit(url).scheme in {"http", "https"} else ""
    found = Found(text=inner, url=url)
    if m := SOURCE_LINE.search(before):
        found.publisher = html_lib.unescape(m.group(1))
    if m := CITE_TAG.search(found.text):
        found.title = html_to_text(m.group(1))
        found.text = found.text[: m.start()] + found.text[m.end() :]
    if m := SPEAKER_LINE.search(found.text):
        found.speaker = html_lib.unescape(m.group(1))
        found.text = found.text[: m.start()]
    found.text = quotation_text(found.text)
    if not found.text or not (found.url or found.publisher or found.speaker):
        return None
    return found


def body(pieces, code_of):
    """The body: HTML pieces as HTML blocks, quotations as codes (`code_of(found)` -> id)."""
    blocks = [
        f'<div class="imported">\n{piece.strip()}\n</div>'
        if isinstance(piece, str)
        else f"[[quote:{code_of(piece)}]]"
        for piece in pieces
    ]
    return "\n\n".join(blocks)
