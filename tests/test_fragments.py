"""Links to the quoted words: URL text fragments (integrity/fragments.py)."""

from urllib.parse import unquote

from integrity.fragments import text_fragment_url
from integrity.matching import locate

from .test_matching import SOURCE

URL = "https://news.example/2026/budget"


def directive(url):
    """The text directive's terms, decoded, as the browser reads them."""
    assert url.count(":~:text=") == 1
    return [unquote(term) for term in url.split(":~:text=")[1].split(",")]


def test_a_short_passage_is_given_whole_with_its_context():
    url = text_fragment_url(
        URL, "We will get through this together", "late on Tuesday. “", ",” she said"
    )
    assert url.startswith(URL + "#:~:text=")
    assert directive(url) == [
        "on Tuesday. “-",
        "We will get through this together",
        "-,” she said",
    ]


def test_commas_dashes_ampersands_and_non_ascii_are_percent_encoded():
    url = text_fragment_url(URL, "costly, yet fair — cost-free & Zürich’s")
    terms = url.split(":~:text=")[1]
    assert terms == (
        "costly%2C%20yet%20fair%20%E2%80%94%20cost%2Dfree%20%26%20Z%C3%BCrich%E2%80%99s"
    )
    assert all(char not in terms for char in " ,-&’ü")
    assert directive(url) == ["costly, yet fair — cost-free & Zürich’s"]


def test_a_long_passage_is_given_by_its_first_and_last_words():
    exact = "one two three four five six seven eight nine ten"
    assert directive(text_fragment_url(URL, exact)) == [
        "one two three four",
        "seven eight nine ten",
    ]


def test_a_passage_across_paragraphs_is_split_at_the_paragraph():
    # A term never crosses a block boundary in the browser, so start and end stay in theirs.
    url = text_fragment_url(URL, "would be close.\n\nOn Wednesday the parliament voted")
    assert directive(url) == ["would be close.", "Wednesday the parliament voted"]


def test_prefix_and_suffix_stay_in_the_passage_paragraph():
    url = text_fragment_url(URL, "Her opponents disagreed", "every region.\n\n", ".\nHe said")
    assert directive(url) == ["Her opponents disagreed", "-."]


def test_whitespace_inside_terms_is_collapsed():
    assert directive(text_fragment_url(URL, "a   b\tc")) == ["a b c"]


def test_an_existing_fragment_is_kept_and_an_old_directive_replaced():
    url = text_fragment_url(URL + "#section-2:~:text=old", "new words")
    assert url == URL + "#section-2:~:text=new%20words"


def test_no_passage_leaves_the_url_alone():
    assert text_fragment_url(URL, "  ") == URL


def test_built_from_a_located_selector():
    match = locate("We will get through this together.", SOURCE)
    url = text_fragment_url(URL, match.exact, match.prefix, match.suffix)
    terms = directive(url)
    assert terms[1] == "We will get through this together"
    assert terms[0].endswith("-") and SOURCE.index(terms[0][:-1]) < match.start
    assert terms[2].startswith("-") and SOURCE[match.end :].startswith(terms[2][1:])
