"""Locating a quotation's words in its source's text (integrity/matching.py)."""

import random

import pytest

from integrity import matching
from integrity.matching import locate

SOURCE = (
    "WASHINGTON — The minister arrived late on Tuesday. “We will get through this "
    "together,” she said, adding that the budget was ‘fair’ to every region.\n\n"
    "Her opponents disagreed. “The plan is a gift to the few; it does nothing for "
    "families who can’t pay their rent,” said Mr. Okafor, the party’s leader.\n"
    "He said the vote would be close.\n\n"
    "On Wednesday the parliament voted against the bill after a long debate about "
    "the President’s plan."
)


def assert_selector(match, source=SOURCE):
    """The selector names the located passage and the text on each side of it."""
    assert source[match.start : match.end] == match.exact
    assert source[match.start - len(match.prefix) : match.start] == match.prefix
    assert source[match.end : match.end + len(match.suffix)] == match.suffix
    assert len(match.prefix) <= matching.CONTEXT and len(match.suffix) <= matching.CONTEXT


@pytest.mark.parametrize(
    ("quotation", "status", "exact"),
    [
        ("We will get through this together", "verbatim", "We will get through this together"),
        (  # straight quotes and apostrophes where the source has curly ones
            "it does nothing for families who can't pay their rent",
            "normalised",
            "it does nothing for families who can’t pay their rent",
        ),
        (  # the source's closing comma quoted as a full stop
            "We will get through this together.",
            "normalised",
            "We will get through this together",
        ),
        (
            "the budget was 'fair' to every region",
            "normalised",
            "the budget was ‘fair’ to every region",
        ),
        (  # extra whitespace, line breaks, case
            "WE WILL  get through\nthis   together",
            "normalised",
            "We will get through this together",
        ),
        (  # split across two paragraphs of the source
            "He said the vote would be close. On Wednesday the parliament voted",
            "normalised",
            "He said the vote would be close.\n\nOn Wednesday the parliament voted",
        ),
        (
            "The plan is a gift to the few ... families who can't pay their rent",
            "elided",
            "The plan is a gift to the few; it does nothing for families who can’t pay their rent",
        ),
        (
            "The plan is a gift to the few […] it does nothing for families",
            "elided",
            "The plan is a gift to the few; it does nothing for families",
        ),
        (
            "the minister arrived late … the budget was ‘fair’ to every region",
            "elided",
            "The minister arrived late on Tuesday. “We will get through this together,” she "
            "said, adding that the budget was ‘fair’ to every region",
        ),
        (  # a bracketed insertion standing for the source's words
            "[Okafor's] opponents disagreed",
            "elided",
            "opponents disagreed",
        ),
        (
            "It does nothing for [the] families who can't pay",
            "elided",
            "it does nothing for families who can’t pay",
        ),
        (  # a bracketed capital: the passage starts at the source's whole word
            "[T]he parliament voted against the bill",
            "elided",
            "the parliament voted against the bill",
        ),
    ],
)
def test_found_passages(quotation, status, exact):
    match = locate(quotation, SOURCE)
    assert (match.status, match.exact) == (status, exact)
    assert match.score == 100.0
    assert match.differences == ()
    assert_selector(match)


def test_verbatim_gives_the_selector_around_the_words():
    match = locate("We will get through this together", SOURCE)
    assert match.start == SOURCE.index("We will get")
    assert match.prefix.endswith("on Tuesday. “")
    assert match.suffix.startswith(",” she said")
    # Cut at word boundaries: no part-word at the outer ends.
    assert match.prefix.split()[0] in SOURCE.split()
    assert match.suffix.split()[-1] in SOURCE.split()


def test_one_word_changed_is_a_close_match_showing_the_word():
    match = locate("We will get past this together", SOURCE)
    assert match.status == "close"
    assert match.exact == "We will get through this together"
    assert match.differences == (("past", "through"),)
    assert matching.CLOSE_SCORE <= match.score < 100
    assert_selector(match)


def test_a_changed_word_in_a_long_quotation_is_shown_as_written():
    quotation = "the Parliament voted FOR the bill after a long debate about the President's plan"
    match = locate(quotation, SOURCE)
    assert match.status == "close"
    assert match.exact.startswith("the parliament voted against")
    assert match.differences == (("FOR", "against"),)
    assert_selector(match)


def test_words_absent_are_not_found():
    match = locate("Nobody here ever mentioned taxes or the harvest festival", SOURCE)
    assert match == matching.NOT_FOUND
    assert (match.start, match.end, match.exact) == (None, None, "")


def test_common_words_in_another_order_are_not_a_close_match():
    assert locate("the vote was late said the minister", SOURCE).status == "not_found"


def test_a_short_quotation_is_not_found_inside_a_longer_word():
    # "plan" is in the source only as a word; "pla" is a piece of it.
    assert locate("pla", SOURCE).status == "not_found"
    assert locate("plan", SOURCE).status == "verbatim"


def test_empty_input_is_not_found():
    assert locate("  ", SOURCE).status == "not_found"
    assert locate("anything", "").status == "not_found"


def test_offsets_survive_characters_normalising_removes():
    source = "Intro.\u00a0\u00a0Soft\u00adhy\u200bphen   text with İstanbul and “words” here."
    match = locate('softhyphen text with istanbul and "words"', source)
    assert match.status == "normalised"
    assert match.exact == "Soft\u00adhy\u200bphen   text with İstanbul and “words”"
    assert_selector(match, source)


def test_an_elision_does_not_reach_across_the_whole_source():
    far = "First words here. " + "filler " * 400 + "last words there."
    assert locate("First words ... last words", far).status == "not_found"
    near = "First words here. " + "filler " * 10 + "last words there."
    assert locate("First words ... last words", near).status == "elided"


def long_source(words=9000, seed=7):
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = ["".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(3000)]
    return [rng.choice(vocab) for _ in range(words)]


def test_long_source_cases_and_a_bounded_fuzzy_search(monkeypatch):
    """A 50,000-character source: the fuzzy search scores only a few short windows."""
    words = long_source()
    source = " ".join(words)
    assert len(source) > 50_000
    quoted = words[5000:5060]
    scored = []
    real = matching.fuzz.partial_ratio_alignment

    def counting(needle, haystack, **kwargs):
        scored.append(len(haystack))
        return real(needle, haystack, **kwargs)

    monkeypatch.setattr(matching.fuzz, "partial_ratio_alignment", counting)
    changed = quoted[:30] + ["qqqqqqqq"] + quoted[31:]
    match = locate(" ".join(changed), source)
    assert match.status == "close"
    assert match.differences == (("qqqqqqqq", quoted[30]),)
    assert match.exact == " ".join(quoted)
    assert 0 < len(scored) <= matching.MAX_WINDOWS
    assert sum(scored) < 4 * len(" ".join(quoted)) * matching.MAX_WINDOWS

    scored.clear()
    elided = " ".join(quoted[:20]) + " ... " + " ".join(quoted[40:])
    assert locate(elided, source).status == "elided"
    assert scored == []  # found before any fuzzy search
    assert locate(" ".join(quoted).upper(), source).status == "normalised"


def test_the_quotations_of_one_source_fold_its_text_once():
    matching.normalised_source.cache_clear()
    quotations = ["we will get through this together.", "Her opponents DISAGREED", "x y z"]
    assert [locate(q, SOURCE).status for q in quotations] == [
        "normalised",
        "normalised",
        "not_found",
    ]
    info = matching.normalised_source.cache_info()
    assert (info.misses, info.hits) == (1, len(quotations) - 1)


# As a newspaper reports speech: attributions between the quoted sentences.
REPORTED = (
    "“It’s almost saying to them, put up or shut up,” said a senior administration "
    "official. “It’s not that the Russians get to say, ‘We’ll try and therefore you have to "
    "suspend.’ It says the threat has to go away.”\n\n"
    "“No one links these issues to any exchange, especially on the Iran issue,” Mr. "
    "Medvedev said at a news conference in Madrid, where he was visiting to boost economic "
    "and political ties. “We are working very closely with our U.S. colleagues.”\n\n"
    "“The talks were long,” Mr. Obama’s spokesman said.\n\n"
    "“They will go on. And they will end well.\n\n"
    "“We hope.”"
)


@pytest.mark.parametrize(
    ("quotation", "exact"),
    [
        (  # the reporter's comma becomes a full stop, the attribution is left out
            "It’s almost saying to them, put up or shut up. It’s not that the Russians get "
            "to say, ‘We’ll try and therefore you have to suspend.’ It says the threat has to "
            "go away.",
            "It’s almost saying to them, put up or shut up,” said a senior administration "
            "official. “It’s not that the Russians get to say, ‘We’ll try and therefore you have "
            "to suspend.’ It says the threat has to go away.",
        ),
        (
            "No one links these issues to any exchange, especially on the Iran issue. We are "
            "working very closely with our U.S. colleagues.",
            "No one links these issues to any exchange, especially on the Iran issue,” Mr. "
            "Medvedev said at a news conference in Madrid, where he was visiting to boost "
            "economic and political ties. “We are working very closely with our U.S. colleagues.",
        ),
        (  # an attribution with an apostrophe, then a quotation going on in a new paragraph
            "The talks were long. They will go on. And they will end well. We hope.",
            "The talks were long,” Mr. Obama’s spokesman said.\n\n“They will go on. And they "
            "will end well.\n\n“We hope.",
        ),
    ],
)
def test_sentences_split_by_the_reporter_are_found_joined(quotation, exact):
    match = locate(quotation, REPORTED)
    assert (match.status, match.exact) == ("normalised", exact)
    assert_selector(match, REPORTED)


def test_sentences_with_other_quoted_words_between_are_not_joined():
    # Between these two sentences stand other quoted words, not a reporter's attribution.
    match = locate("It’s almost saying to them, put up or shut up. It says the threat", REPORTED)
    assert match.status != "normalised"


def test_an_elided_quotation_with_a_changed_word_is_close_showing_the_word():
    match = locate("The plan is a gift to the many ... families who can't pay their rent", SOURCE)
    assert match.status == "close"
    assert match.exact == (
        "The plan is a gift to the few; it does nothing for families who can’t pay their rent"
    )
    assert match.differences == (("many", "few"),)  # the elided words are no difference
    assert_selector(match)


def test_an_elided_quotation_of_absent_words_is_not_found():
    assert locate("Nobody here ... harvest festival", SOURCE).status == "not_found"
