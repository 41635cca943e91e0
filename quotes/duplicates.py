"""Likely duplicates of a speaker or source an editor is about to create.

Names are compared folded: accents, case, punctuation and initials dropped, and common
transliteration variants made one ("Dmitri A. Medvedev" and "Dmitry Medvedev" fold alike).
Sources match on the web address once normalised (scheme, "www.", trailing slash, tracking
parameters and fragment ignored) or on the same title, publisher and date. Candidates come
from an indexed-enough database filter, bounded, and are compared here.
"""

import re
import unicodedata
from difflib import SequenceMatcher
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.db.models import Q

CANDIDATES = 50  # rows compared at most: a common surname never loads a whole table
SIMILAR = 0.88  # difflib ratio of folded names above which two names look the same
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|smid|ref)$")
# Transliteration variants, applied to each folded word in this order.
VARIANTS = [(re.compile(r"(?:iy|ij|yi|y)$"), "i"), (re.compile(r"(.)\1"), r"\1")]


def ascii_fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold_name(name):
    """ "Dmitri A. Medvedev" -> "dmitri medvedev": comparable across spellings."""
    words = re.findall(r"[a-z0-9]+", ascii_fold(name))
    folded = []
    for word in words:
        if len(word) == 1:  # an initial
            continue
        for pattern, replacement in VARIANTS:
            word = pattern.sub(replacement, word)
        folded.append(word)
    return " ".join(folded)


def names_match(a, b):
    a, b = fold_name(a), fold_name(b)
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR


def similar_speakers(name, exclude_pk=None):
    """Speakers whose name folds like `name` (same surname, near-same given names)."""
    from .models import Speaker

    words = re.findall(r"\w+", name)
    if not words:
        return []
    surname = words[-1]
    # The surname as typed or accent-folded finds the candidates; folding decides.
    query = Q(name__icontains=surname[:5]) | Q(name__icontains=ascii_fold(surname)[:5])
    candidates = Speaker.objects.filter(query).exclude(pk=exclude_pk).order_by("pk")
    return [s for s in candidates[:CANDIDATES] if names_match(s.name, name)]


def normal_url(url):
    """The address without what does not change the page it names."""
    parts = urlsplit(url.strip())
    if not parts.hostname:
        return ""
    host = parts.hostname.lower().removeprefix("www.")
    query = [(k, v) for k, v in parse_qsl(parts.query) if not TRACKING.match(k.lower())]
    path = parts.path.rstrip("/") or ""
    return f"{host}{path}" + (f"?{urlencode(sorted(query))}" if query else "")


def similar_sources(title, publisher, published_on, url, exclude_pk=None):
    """Sources with the same address once normalised, or the same title, publisher and
    date (case and spacing ignored)."""
    from .models import Source

    found = {}
    wanted = normal_url(url) if url else ""
    if wanted:
        tail = wanted.split("/", 1)[-1][-60:] or wanted
        for source in Source.objects.filter(url__icontains=tail).exclude(pk=exclude_pk)[
            :CANDIDATES
        ]:
            if normal_url(source.url) == wanted:
                found[source.pk] = source
    if title:
        same = Source.objects.filter(
            title__iexact=" ".join(title.split()),
            publisher__iexact=" ".join(publisher.split()),
            published_on=published_on,
        ).exclude(pk=exclude_pk)
        for source in same[:CANDIDATES]:
            found[source.pk] = source
    return [found[pk] for pk in sorted(found)]
