"""Plain text of HTML from the sanitizing pipeline, for summaries, meta descriptions, feed
summaries, JSON-LD and search snippets.

Unlike `strip_tags`, it decodes entities (so `AT&amp;T` becomes `AT&T`, and the template
or serializer that uses the text escapes it exactly once) and keeps the quotation marks
of inline quotations (`<q>`): a speaker's words never read as the blog's own.
"""

import unicodedata
from html.parser import HTMLParser

# Opening and closing marks of a <q>, by depth: double outside, single within.
MARKS = [("“", "”"), ("‘", "’")]
# Elements whose ends separate words (a paragraph is never glued to the next).
BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "blockquote", "figure", "figcaption", "h1", "h2",
    "h3", "h4", "h5", "h6", "pre", "table", "tr", "td", "th", "hr", "section", "article",
}  # fmt: skip
# Elements whose content is not text.
SKIPPED = {"script", "style", "template"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.depth, self.skipping = [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif tag == "q":
            self.parts.append(MARKS[self.depth % 2][0])
            self.depth += 1
        elif tag in BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "q" and self.depth:
            self.depth -= 1
            self.parts.append(MARKS[self.depth % 2][1])
        elif tag in BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html):
    """The words of `html` as one line of unescaped text, inline quotations in quotes."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return " ".join("".join(parser.parts).split())


def text_start(html, length, piece=2048):
    """html_to_text(html), or a start of it that a summary of `length` characters cut from
    the whole text would be cut from just the same: a few kilobytes parsed, not a long page.

    The parser is fed `html` a piece at a time; what it has emitted is final, so its text
    so far is a start of the whole text. Kept up to its last space (no word cut short, and
    normalizing to NFC, as Truncator does, cannot join anything across a space), it serves
    once it holds more than `length` characters that Truncator counts (not combining ones).
    """
    html = html or ""
    if len(html) <= piece:
        return html_to_text(html)
    parser = _Text()
    for start in range(0, len(html), piece):
        parser.feed(html[start : start + piece])
        text = " ".join("".join(parser.parts).split())
        head = text[: text.rfind(" ")] if " " in text else ""
        if len(head) > length and counted(head) > length:
            return head
    parser.close()
    return " ".join("".join(parser.parts).split())


def counted(text):
    """The characters of `text` that Truncator.chars counts (after NFC, not combining)."""
    return sum(not unicodedata.combining(c) for c in unicodedata.normalize("NFC", text))
