"""Links that open a source on the quoted words: URL text fragments.

`#:~:text=[prefix-,]start[,end][,-suffix]` (WICG "URL Fragment Text Directives", supported
by Chromium-based browsers, Safari and recent Firefox; others open the page at the top).
A browser matches each term on word boundaries and never across a block (a paragraph), so a
long or multi-paragraph passage is given as its first and last few words, and the prefix
and suffix are kept to the passage's own paragraph.
"""

import re
from urllib.parse import quote

SHORT = 8  # a passage of up to this many words is given whole
EDGE_WORDS = 4  # words in the start and end terms of a longer passage
CONTEXT_WORDS = 3  # words kept of the prefix and of the suffix


def encode(term):
    """Percent-encode a term: everything but unreserved characters, and "-" too."""
    return quote(" ".join(term.split()), safe="").replace("-", "%2D")


def text_fragment_url(url: str, exact: str, prefix: str = "", suffix: str = "") -> str:
    """`url` with a text directive that highlights and scrolls to `exact`."""
    lines = [line.split() for line in re.split(r"\s*\n\s*", exact.strip()) if line.strip()]
    if not lines:
        return url
    words = [word for line in lines for word in line]
    if len(lines) == 1 and len(words) <= SHORT:
        terms = [encode(" ".join(words))]
    else:
        terms = [encode(" ".join(lines[0][:EDGE_WORDS])), encode(" ".join(lines[-1][-EDGE_WORDS:]))]
    before = prefix.split("\n")[-1].split()
    before = before[len(before) - min(CONTEXT_WORDS, len(before)) :]
    after = suffix.split("\n")[0].split()[:CONTEXT_WORDS]
    if before:
        terms.insert(0, encode(" ".join(before)) + "-")
    if after:
        terms.append("-" + encode(" ".join(after)))
    address, _, fragment = url.partition("#")
    fragment = fragment.split(":~:")[0]  # replace, not add to, an existing directive
    return f"{address}#{fragment}:~:text={','.join(terms)}"
