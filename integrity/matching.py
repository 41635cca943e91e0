"""TEMPORARY STUB of the `matching` branch's interface (deleted before merging it)."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    status: str
    score: float
    start: int | None
    end: int | None
    exact: str
    prefix: str
    suffix: str
    differences: tuple = ()


def _norm(text):
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower().rstrip(".,")


def locate(quotation_text, source_text):
    start = source_text.find(quotation_text)
    status = "verbatim"
    if start < 0:
        words = _norm(quotation_text).split()
        pattern = r"\W+".join(re.escape(w) for w in words)
        found = re.search(pattern, source_text.replace("\u2019", "'"), re.IGNORECASE)
        if not found:
            return Match("not_found", 0.0, None, None, "", "", "", ())
        start, end, status = found.start(), found.end(), "normalised"
    else:
        end = start + len(quotation_text)
    return Match(
        status, 100.0, start, end, source_text[start:end],
        source_text[max(0, start - 32) : start], source_text[end : end + 32], (),
    )  # fmt: skip
