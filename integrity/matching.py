"""Where a quotation's words are in its source's text, and how faithfully they are quoted.

`locate(quotation_text, source_text)` tries, in order:

- verbatim: the words as they stand;
- normalised: equal once whitespace, typographic quotes and apostrophes, dashes, case and
  the closing punctuation a quoting writer changes are set aside, sentence by sentence: the
  source's "together,” she said. “We" is quoted as "together. We" (our house style for a
  quote split by the reporter's attribution, docs/decisions.md), and a quotation may run
  across paragraphs;
- elided: the pieces left between elisions ("...", "…", "[...]") and bracketed insertions
  ("[the president]") found in order, each within MAX_GAP characters of the last;
- close: a passage similar enough (rapidfuzz, score >= CLOSE_SCORE), with the differing
  words listed;
- not_found.

Offsets, `exact`, `prefix` and `suffix` always refer to the original source text: the
normalised text keeps a map back to it. The fuzzy search is bounded: it looks only at a few
windows anchored on the quotation's rarest words, so a long source costs milliseconds.
"""

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

CONTEXT = 32  # characters of prefix and suffix kept with the selector
MAX_GAP = 1500  # normalised characters an elision may skip
MAX_INSERT = 60  # normalised characters a bracketed insertion may stand for
CLOSE_SCORE = 75.0  # rapidfuzz similarity from which a passage may be a close match
CLOSE_WORDS = 0.6  # share of the quoted words a close match must have, in order
MAX_CANDIDATES = 200  # occurrences of a first piece tried for an elided match
MAX_WINDOWS = 6  # windows the fuzzy search scores
MAX_HITS = 100  # occurrences from which a word is too common to place a quotation

QUOTES = "'\"‘’‚‛′`“”„‟″«»‹›"
DASHES = "‐‑‒–—―−"
FOLD = str.maketrans({**dict.fromkeys(QUOTES, "'"), **dict.fromkeys(DASHES, "-")})
# Runs to collapse: whitespace (to one space) and invisible characters (dropped).
SPACING = re.compile(r"[\s\u00ad\u200b\u200c\u200d\u2060\ufeff]+")
INVISIBLE = set("\u00ad\u200b\u200c\u200d\u2060\ufeff")
# Elisions and bracketed insertions: gaps in the quotation.
ELISION = re.compile(r"\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|\.\s?\.\s?\.|…")
GAP = re.compile(ELISION.pattern + r"|\[[^\]]*\]")
# What a quoting writer adds or changes at the ends: quote marks, closing punctuation.
EDGE = "'\"-.,;:!? "
WORD = re.compile(r"\w+")
# Where a quotation's sentences meet, and what may stand between them in the source: a
# line break or another stop, or a closing quote, the reporter's words and an opening quote.
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?]'))\s+")
MAX_JOIN = 250
REPORTER = rf"(?:[^\n']|\b'\b){{1,{MAX_JOIN}}}?"  # no quote marks; apostrophes in words
JOIN = re.compile(rf"[.,;:!?]?'?\s+'?|[.,;:!?]?'\s+{REPORTER}[.,;:]?\s+'")


@dataclass(frozen=True)
class Match:
    status: str  # "verbatim" | "normalised" | "elided" | "close" | "not_found"
    score: float  # similarity 0..100 (100 for verbatim/normalised/elided)
    start: int | None  # character offsets of the located passage in the source text
    end: int | None
    exact: str  # W3C TextQuoteSelector: the source's words as they appear
    prefix: str  # up to ~32 characters before
    suffix: str  # up to ~32 characters after
    differences: tuple  # for "close": ((quoted_words, source_words), ...)


NOT_FOUND = Match("not_found", 0.0, None, None, "", "", "", ())


class Normalised:
    """`text` folded for comparison, with the way back to offsets in `original`."""

    def __init__(self, original):
        self.original = original
        folded = original.translate(FOLD)
        lowered = folded.lower()
        if len(lowered) != len(folded):  # "İ" lowers to "i" and a combining dot
            lowered = "".join(c.lower()[0] for c in folded)
        pieces, self.starts, self.origins = [], [0], [0]
        done = length = 0
        for run in SPACING.finditer(lowered):
            if run.group() == " ":
                continue
            pieces.append(lowered[done : run.start()])
            length += run.start() - done
            if not set(run.group()) <= INVISIBLE:
                pieces.append(" ")
                self.starts.append(length)
                self.origins.append(run.start())
                length += 1
            self.starts.append(length)
            self.origins.append(run.end())
            done = run.end()
        pieces.append(lowered[done:])
        self.text = "".join(pieces)

    def to_original(self, i):
        """Offset in the original of the character at normalised offset `i`."""
        k = bisect_right(self.starts, i) - 1
        return self.origins[k] + i - self.starts[k]

    def span(self, start, end):
        """The original (start, end) of the normalised range [start, end)."""
        return self.to_original(start), self.to_original(end - 1) + 1


# Verifying every quotation of a source folds its text once, not once per quotation.
normalised_source = lru_cache(maxsize=8)(Normalised)


def locate(quotation_text: str, source_text: str) -> Match:
    """Find `quotation_text` in `source_text` (see the module docstring)."""
    quoted = quotation_text.strip()
    if not quoted or not source_text:
        return NOT_FOUND
    start = find_words(source_text, quoted)
    if start is not None:
        return found("verbatim", 100.0, source_text, start, start + len(quoted))
    source = normalised_source(source_text)
    folded = Normalised(quoted).text
    span = find_joined(source.text, sentences(folded))
    if span:
        start, end = keep_shared_edges(source.text, folded, *span)
        return found("normalised", 100.0, source_text, *source.span(start, end))
    pieces = elided_pieces(quoted)
    if len(pieces) > 1 or (pieces and GAP.search(quoted)):
        span = find_in_order(source.text, pieces)
        if span:
            return found("elided", 100.0, source_text, *source.span(*span))
        return close_elided(pieces, source) or close_match(quoted, source)
    return close_match(quoted, source)


def sentences(folded):
    """The normalised quotation's sentences, without the punctuation at their ends."""
    pieces = (piece.strip(EDGE) for piece in SENTENCE_END.split(folded))
    return [piece for piece in pieces if piece]


def find_joined(text, pieces):
    """Normalised (start, end) of the sentences `pieces` in order, each joined to the last
    as a quoting writer joins them: across a line break or a changed full stop, or over a
    reporter's attribution between quote marks ("together,” she said. “We"). Or None."""
    if not pieces:
        return None
    first = pieces[0]
    at = find_words(text, first)
    for _ in range(MAX_CANDIDATES):
        if at is None:
            return None
        end = at + len(first)
        for piece in pieces[1:]:
            nxt = find_words(text, piece, end, end + MAX_JOIN + len(piece))
            while nxt is not None and not JOIN.fullmatch(text, end, nxt):
                nxt = find_words(text, piece, nxt + 1, end + MAX_JOIN + len(piece))
            if nxt is None:
                break
            end = nxt + len(piece)
        else:
            return at, end
        at = find_words(text, first, at + 1)
    return None


def keep_shared_edges(text, folded, start, end):
    """Widen a normalised match over the quote marks and punctuation the quotation kept
    at its ends as the source has them (“words” quoted as "words")."""
    words = folded.strip(EDGE)
    head = folded[: folded.index(words)]
    tail = folded[folded.index(words) + len(words) :]
    while head and start > 0 and text[start - 1] == head[-1]:
        head, start = head[:-1], start - 1
    for char in tail:
        if end == len(text) or text[end] != char:
            break
        end += 1
    return start, end


def find_words(text, words, start=0, end=None, strict=(True, True)):
    """Offset of the first `words` in text[start:end] not inside a longer word."""
    end = len(text) if end is None else end
    at = text.find(words, start, end)
    while at != -1:
        before_ok = not strict[0] or at == 0 or not (text[at - 1].isalnum() and words[0].isalnum())
        after = at + len(words)
        after_ok = (
            not strict[1]
            or after == len(text)
            or not (text[after].isalnum() and words[-1].isalnum())
        )
        if before_ok and after_ok:
            return at
        at = text.find(words, at + 1, end)
    return None


def elided_pieces(quoted):
    """The pieces between gaps: (normalised text, ends that must be word ends, max gap
    before it, text as written)."""
    pieces = []
    gaps = [(0, 0, "")] + [(*m.span(), m.group()) for m in GAP.finditer(quoted)]
    gaps.append((len(quoted), len(quoted), ""))
    for (_, left, before), (right, _, _) in zip(gaps, gaps[1:], strict=False):
        raw = quoted[left:right]
        text = Normalised(raw).text.strip(EDGE)
        if text:
            # "[T]he": a piece glued to a bracket may start or end inside a word.
            glued_left = left > 0 and raw[:1].isalnum()
            glued_right = right < len(quoted) and raw[-1:].isalnum()
            # An insertion stands for a few words; an elision may skip paragraphs.
            inserted = before.startswith("[") and not ELISION.fullmatch(before)
            gap = MAX_INSERT if inserted else MAX_GAP
            pieces.append((text, (not glued_left, not glued_right), gap, raw.strip()))
    return pieces


def find_in_order(text, pieces):
    """Normalised (start, end) of `pieces` found in order, each near the last, or None."""
    first, strict, *_ = pieces[0]
    at = find_words(text, first, strict=strict)
    for _ in range(MAX_CANDIDATES):
        if at is None:
            return None
        end = at + len(first)
        for piece, piece_strict, gap, _ in pieces[1:]:
            nxt = find_words(text, piece, end, end + gap + len(piece), piece_strict)
            if nxt is None:
                break
            end = nxt + len(piece)
        else:
            return widen(text, at, end)
        at = find_words(text, first, at + 1, strict=strict)
    return None


def best_alignment(words, text, windows):
    """(score, start, end) of the passage in `windows` of text most like `words`, or None."""
    best = None
    for lo, hi in windows:
        result = fuzz.partial_ratio_alignment(words, text[lo:hi], score_cutoff=CLOSE_SCORE)
        if result and (best is None or result.score > best[0]):
            best = (result.score, lo + result.dest_start, lo + result.dest_end)
    return best


def close_match(quoted, source):
    """The most similar passage near the quotation's rarest words, if similar enough."""
    quoted = GAP.sub(" ", quoted)
    words = Normalised(quoted).text.strip(EDGE)
    best = best_alignment(words, source.text, candidate_windows(words, source.text))
    if best is None:
        return NOT_FOUND
    start, end = word_aligned(words, source.text, best[1], best[2])
    if start >= end:
        return NOT_FOUND
    score = fuzz.ratio(words, source.text[start:end])
    match = found("close", round(score, 1), source.original, *source.span(start, end))
    differences, share = word_differences(quoted, match.exact)
    if score < CLOSE_SCORE or share < CLOSE_WORDS:
        return NOT_FOUND
    return Match(**{**match.__dict__, "differences": differences})


def close_elided(pieces, source):
    """An elided quotation whose pieces are each close to the source's words, in order, each
    within its gap of the last; or None."""
    text, spans, end = source.text, [], None
    for words, _, gap, _ in pieces:
        if end is None:
            windows = candidate_windows(words, text)
        else:
            windows = [(end, min(len(text), end + gap + len(words) + len(words) // 4 + 20))]
        best = best_alignment(words, text, windows)
        if best is None:
            return None
        start, piece_end = word_aligned(words, text, best[1], best[2])
        if start >= piece_end or (end is not None and start < end):
            return None
        spans.append((start, piece_end))
        end = piece_end
    differences, same, total, weighted = (), 0.0, 0, 0.0
    for (words, _, _, raw), (start, piece_end) in zip(pieces, spans, strict=True):
        lo, hi = source.span(start, piece_end)
        piece_differences, share = word_differences(raw, source.original[lo:hi])
        differences += piece_differences
        same += share * len(raw.split())
        total += len(raw.split())
        weighted += fuzz.ratio(words, text[start:piece_end]) * len(words)
    score = weighted / sum(len(words) for words, *_ in pieces)
    if score < CLOSE_SCORE or same / total < CLOSE_WORDS:
        return None
    match = found("close", round(score, 1), source.original, *source.span(spans[0][0], end))
    return Match(**{**match.__dict__, "differences": differences})


def word_aligned(words, text, start, end):
    """The run of source words around text[start:end] that lines up with `words`.

    The character alignment keeps the quotation's length, so it can cut off a first or
    last word when a changed word is longer or shorter; words put them back.
    """
    extra = len(words) // 6 + 12
    lo, hi = widen(text, max(0, start - extra), min(len(text), end + extra))
    spans = [m.span() for m in re.finditer(r"\S+", text[lo:hi])]
    ours = words.split()
    theirs = [text[lo + a : lo + b].strip(EDGE) for a, b in spans]
    matcher = difflib.SequenceMatcher(None, [w.strip(EDGE) for w in ours], theirs, autojunk=False)
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    if not blocks:
        return whole_words(text, start, end)
    first, last = blocks[0], blocks[-1]
    # Quoted words before the first (after the last) shared word stand for as many source words.
    j = first.b - min(first.a, first.b)
    tail = last.a + last.size
    k = last.b + last.size + min(len(ours) - tail, len(theirs) - (last.b + last.size))
    return whole_words(text, lo + spans[j][0], lo + spans[k - 1][1])


def candidate_windows(words, text):
    """Up to MAX_WINDOWS (start, end) ranges of `text` around the rarest quoted words."""
    quoted_words = {w.group(): w.start() for w in reversed(list(WORD.finditer(words)))}
    if not quoted_words:
        return []
    # Common words say little about where the quotation is and cost the most to collect:
    # a first count (substrings, in C) keeps the rarer ones.
    counts = {word: text.count(word) for word in quoted_words}
    present = sorted((n, word) for word, n in counts.items() if n)
    rare = [word for n, word in present if n <= MAX_HITS] or [word for _, word in present[:4]]
    if not rare:
        return []
    longest_first = sorted(rare, key=len, reverse=True)
    pattern = r"\b(?:" + "|".join(map(re.escape, longest_first)) + r")\b"
    hits = {}
    for hit in re.finditer(pattern, text):
        hits.setdefault(hit.group(), []).append(hit.start())
    if not hits:
        return []
    slack = len(words) // 4 + 20
    # Each occurrence of a rare word proposes where the quotation would start.
    starts = []
    for word in sorted(hits, key=lambda w: (len(hits[w]), -len(w)))[:4]:
        starts += [at - quoted_words[word] for at in hits[word][:50]]
    # Rank proposals by how many of the quoted words' occurrences agree with them.
    every = sorted(at - quoted_words[w] for w, ats in hits.items() for at in ats)
    ranked = sorted(
        set(starts),
        key=lambda s: bisect_right(every, s + slack) - bisect_right(every, s - slack),
        reverse=True,
    )
    windows = []
    for s in ranked:
        lo, hi = max(0, s - slack), min(len(text), s + len(words) + slack)
        if not any(a <= lo and hi <= b for a, b in windows):
            windows.append((lo, hi))
        if len(windows) == MAX_WINDOWS:
            break
    return windows


def widen(text, start, end):
    """Widen [start, end) so that it neither starts nor ends inside a word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def whole_words(text, start, end):
    """Widen [start, end) to word boundaries, then trim spaces and punctuation at the ends."""
    start, end = widen(text, start, end)
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return start, end


def word_differences(quoted, passage):
    """((quoted words, source words), ...) where the two differ, as each is written, and
    the share of the quoted words found in order.

    Words compare as normalised, punctuation included, except at the quotation's end.
    """
    ours, theirs = quoted.split(), passage.split()
    keys = [Normalised(w).text for w in ours]
    keys[-1] = keys[-1].rstrip(EDGE)
    their_keys = [Normalised(w).text for w in theirs]
    their_keys[-1] = their_keys[-1].rstrip(EDGE)
    matcher = difflib.SequenceMatcher(None, keys, their_keys, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    differences = tuple(
        (" ".join(ours[i1:i2]), " ".join(theirs[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )
    return differences, same / len(ours)


def found(status, score, text, start, end):
    """A Match for text[start:end], with a prefix and suffix cut at word boundaries."""
    prefix = text[max(0, start - CONTEXT) : start]
    if start > CONTEXT and not text[start - CONTEXT - 1].isspace():
        cut = re.search(r"\s", prefix)
        prefix = prefix[cut.start() :] if cut else prefix
    suffix = text[end : end + CONTEXT]
    if end + CONTEXT < len(text) and not text[end + CONTEXT].isspace():
        cut = re.search(r"\s\S*\Z", suffix)
        suffix = suffix[: cut.start() + 1] if cut else suffix
    return Match(status, score, start, end, text[start:end], prefix, suffix, ())
