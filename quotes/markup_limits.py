"""Bounds on the markdown the pipeline accepts, so no text can stall or crash a worker.

Python-Markdown is linear on ordinary text, but not everywhere:
- its link parser scans from every `[` to the end of the text for the matching `]` (and
  from every `](` for the `)`): 8 KB of `[` took 6 s, 12 KB hit the worker's timeout;
- its block parser recurses once per level of list or quote nesting: 1 KB of nested
  `- ` raised RecursionError (a 500, and the post was lost).

- its footnote pattern and abbreviations are quadratic too (`[^` runs, thousands of
  `*[abbr]:` definitions), and so is its HTML parser on some runs of `<a`.

So links are parsed with a scan that gives up past a nesting depth, a length, and a total
budget per text (a link the scan gives up on shows as the literal text); footnote labels
are bounded; and a text longer than MAX_CHARS, nested deeper than MAX_NESTING or with more
than MAX_ABBREVIATIONS is refused with a MarkupError whose message the editor sees (the
admin form keeps the text). What editors type (the admin form and the preview) is also
rendered under `time_limit()`: whatever shape was not foreseen, a render that runs past
RENDER_SECONDS is refused the same way instead of holding the worker.
"""

import contextlib
import re
import signal
import threading

import markdown
from markdown.inlinepatterns import (
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)

MAX_CHARS = 200_000
MAX_NESTING = 32
# A link's text: at most this many characters and levels of nested brackets.
MAX_LINK_TEXT = 2_000
MAX_LINK_DEPTH = 8
MAX_LINK_TARGET = 2_000
# Characters the link scans may read in one text, all links together: well-formed links
# are read about once, so they fit in the longest text's length; only stray brackets
# scanned over and over use it up (then the rest of the text's links stay literal).
SCAN_BUDGET = MAX_CHARS

MAX_ABBREVIATIONS = 100
RENDER_SECONDS = 0.4

# What opens a level on a line: indentation (4 columns), a quote marker, a list marker.
LEVEL = re.compile(r"(?: {4}|\t|>[ ]?| {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+)")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
ABBREVIATION = re.compile(r"^[ ]{0,3}\*\[", re.MULTILINE)
# Python-Markdown's footnote reference pattern, with a bounded label.
FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\[\n]{1,200})\]", re.DOTALL | re.UNICODE)


class MarkupError(ValueError):
    """Text the pipeline will not render; the message says why, for the editor."""


def check_markdown(text):
    """Raise MarkupError if `text` is too long or nested too deeply to render safely."""
    if len(text) > MAX_CHARS:
        raise MarkupError(
            f"The text has {len(text):,} characters; at most {MAX_CHARS:,} can be rendered."
        )
    if len(ABBREVIATION.findall(text)) > MAX_ABBREVIATIONS:
        raise MarkupError(f"The text defines more than {MAX_ABBREVIATIONS} abbreviations.")
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        opened = FENCE.match(line)
        if opened and (fence is None or opened.group(1)[0] == fence):
            fence = None if fence else opened.group(1)[0]
            continue
        if fence or len(line) <= MAX_NESTING:  # each level takes at least one character
            continue
        depth, position = 0, 0
        while match := LEVEL.match(line, position):
            depth, position = depth + 1, match.end()
            if depth > MAX_NESTING:
                raise MarkupError(
                    f"Line {number} nests lists, quotes or indentation more than "
                    f"{MAX_NESTING} levels deep; flatten it to render the text."
                )


class RenderTimeout(MarkupError):
    pass


@contextlib.contextmanager
def time_limit(seconds=RENDER_SECONDS):
    """Raise RenderTimeout in the block once `seconds` pass.

    A timer signal, so only in the main thread, which is where gunicorn's sync workers
    (config/gunicorn.conf.py) and management commands run; elsewhere (runserver's
    threads) the block runs unbounded, with the shape checks above still applied.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise RenderTimeout(
            f"The text took more than {seconds:g} s to render and was not rendered; "
            "look for long runs of brackets or angle brackets."
        )

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Budget:
    def __init__(self, chars):
        self.left = chars

    def spend(self, chars):
        self.left -= chars
        return self.left >= 0


class BoundedScan:
    """Link parsing as Python-Markdown's, with every scan bounded (see the module doc)."""

    budget = None  # set per Markdown instance by BoundedLinksExtension

    def getText(self, data, index):  # noqa: N802 - Markdown's API
        end = min(len(data), index + MAX_LINK_TEXT)
        if self.budget.left <= 0:
            return "", index, False
        depth = 1
        for pos in range(index, end):
            char = data[pos]
            if char == "]":
                depth -= 1
                if depth == 0:
                    self.budget.spend(pos - index + 1)
                    return data[index:pos], pos + 1, True
            elif char == "[":
                depth += 1
                if depth > MAX_LINK_DEPTH:
                    end = pos
                    break
        self.budget.spend(end - index)
        return "", index, False

    def getLink(self, data, index):  # noqa: N802 - Markdown's API
        if self.budget.left <= 0:
            return "", None, index, False
        # The parser sees a window of the text; a target past its end is not a link.
        window = data[index : index + MAX_LINK_TARGET]
        href, title, end, handled = super().getLink(window, 0)
        handled = handled and end > 0  # its title backtracking can return an end of -1
        # A failed scan read the whole window; so may one that met a quote (a title) and
        # backtracked. A plain link read up to its end.
        quoted = handled and ("'" in window[:end] or '"' in window[:end])
        self.budget.spend(end if handled and not quoted else len(window))
        return href, title, index + end, handled


BOUNDED = {
    "reference": ReferenceInlineProcessor,
    "link": LinkInlineProcessor,
    "image_link": ImageInlineProcessor,
    "image_reference": ImageReferenceInlineProcessor,
    "short_reference": ShortReferenceInlineProcessor,
    "short_image_ref": ShortImageReferenceInlineProcessor,
}
BOUNDED_CLASSES = {
    name: type(f"Bounded{cls.__name__}", (BoundedScan, cls), {}) for name, cls in BOUNDED.items()
}


class BoundedLinksExtension(markdown.Extension):
    """Swap the link processors for bounded ones sharing one scan budget per text."""

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        # One Markdown instance converts many texts: md.reset() gives each a full budget.
        md.registerExtension(self)
        budget = self.budget = Budget(SCAN_BUDGET)
        for name, bounded in BOUNDED_CLASSES.items():
            if name not in md.inlinePatterns:
                continue
            processor = md.inlinePatterns[name]
            processor.__class__ = bounded
            processor.budget = budget
        if "footnote" in md.inlinePatterns:
            md.inlinePatterns["footnote"].compiled_re = FOOTNOTE_REFERENCE

    def reset(self):
        self.budget.left = SCAN_BUDGET
