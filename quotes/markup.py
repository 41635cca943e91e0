"""The markup pipeline: the only way editor or reader text becomes HTML.

Posts, updates and quotations: markdown -> quotation codes -> nh3 allow-list.
Comments: escaped plain text -> bleach.linkify -> paragraphs -> a smaller nh3 allow-list.

Quotation codes name a quotation by id:

    [[quote:12]]        on a line of its own: the quotation as a block, with attribution
    ... said [[q:12]].  inside a sentence: the words inline, linked to the quotation

Quotations carry their embeddings pre-rendered (`Quotation.block_html` and
`inline_html`), so a body with codes costs one query to render. Everything that comes
out of here is sanitized; it is the only HTML the templates may mark safe.

No text can stall a worker (see quotes/markup_limits.py): a text longer than MAX_CHARS
or nested deeper than MAX_NESTING is refused with a MarkupError saying so, and links are
parsed with a bounded scan (Python-Markdown's own took 6 s for 8 KB of `[`).
"""

import contextlib
import hashlib
import html
import re
import threading
from functools import lru_cache

import bleach
import markdown
import nh3
from django.utils.html import format_html

from .markup_limits import BoundedLinksExtension, MarkupError, check_markdown, time_limit

__all__ = ["MarkupError", "check_markdown", "render_markdown", "render_comment"]

# Browsers send textarea lines ending in CRLF: "$" must match before the "\r" too.
BLOCK_CODE = re.compile(r"^[ \t]*\[\[quote:(\d+)\]\][ \t\r]*$", re.MULTILINE)
INLINE_CODE = r"\[\[q:(\d+)\]\]"
ANY_CODE = re.compile(r"\[\[(?:quote|q):(\d+)\]\]")

POST_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul",
}  # fmt: skip
POST_ATTRIBUTES = {
    "a": {"href", "title", "class", "id"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite", "class"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "figure": {"class", "id"},
    "figcaption": {"class"},
    "ol": {"start"},
    "li": {"id"},
    "p": {"class"},
    "span": {"class"},
    "ul": {"class"},
    "div": {"class"},
    "code": {"class"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "sup": {"id"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto"}

COMMENT_TAGS = {"a", "p", "br"}
COMMENT_ATTRIBUTES = {"a": {"href"}}

post_cleaner = nh3.Cleaner(
    tags=POST_TAGS,
    clean_content_tags={"script", "style"},
    attributes=POST_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener",
)
comment_cleaner = nh3.Cleaner(
    tags=COMMENT_TAGS,
    clean_content_tags={"script", "style"},
    attributes=COMMENT_ATTRIBUTES,
    url_schemes={"http", "https"},
    url_relative="deny",
    link_rel="nofollow ugc noopener",
)


def quotation_ids(text):
    """The ids of the quotations a text's codes embed, in order of first use."""
    text = text or ""
    embedded = BLOCK_CODE.findall(text) + re.findall(INLINE_CODE, text)
    order = {int(m.group(1)): m.start() for m in reversed(list(ANY_CODE.finditer(text)))}
    return sorted({int(pk) for pk in embedded}, key=order.get)


def misplaced_block_codes(text):
    """Block codes not on a line of their own, which would show as literal text."""
    text = BLOCK_CODE.sub("", text or "")
    return re.findall(r"\[\[quote:\d+\]\]", text)


def missing_quotation_ids(text):
    """Ids named by codes in `text` that match no quotation."""
    from .models import Quotation

    ids = list(dict.fromkeys(int(pk) for pk in ANY_CODE.findall(text or "")))
    found = set(Quotation.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return [pk for pk in ids if pk not in found]


def missing_block(pk):
    return format_html('<p class="quotation-missing">[Quotation {} is not available.]</p>', pk)


def missing_inline(pk):
    return format_html('<span class="quotation-missing">[quotation {} is not available]</span>', pk)


class BlockQuotationPreprocessor(markdown.preprocessors.Preprocessor):
    """`[[quote:ID]]` on its own line becomes the stored block, as a block of its own."""

    def __init__(self, md, extension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines):
        text = "\n".join(lines)

        def embed(match):
            pk = int(match.group(1))
            quotation = self.extension.quotations.get(pk)
            block = quotation.block_html if quotation else missing_block(pk)
            return f"\n\n{self.md.htmlStash.store(block)}\n\n"

        return BLOCK_CODE.sub(embed, text).split("\n")


class InlineQuotationProcessor(markdown.inlinepatterns.InlineProcessor):
    """`[[q:ID]]` inside a sentence becomes the stored inline `<q>`."""

    def __init__(self, pattern, md, extension):
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(self, match, data):  # noqa: N802 - Markdown's API
        pk = int(match.group(1))
        quotation = self.extension.quotations.get(pk)
        embedded = quotation.inline_html if quotation else missing_inline(pk)
        return self.md.htmlStash.store(embedded), match.start(0), match.end(0)


class HeadingLevels(markdown.treeprocessors.Treeprocessor):
    """`# Heading` becomes <h2>, and so on down: the page's own <h1> is the post's title."""

    def run(self, root):
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5"}:
                element.tag = f"h{int(element.tag[1]) + 1}"


class QuotationExtension(markdown.Extension):
    """The quotation codes; `quotations` ({id: quotation}) is set for each text converted."""

    quotations = {}

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        md.registerExtension(self)
        md.preprocessors.register(BlockQuotationPreprocessor(md, self), "quote", 25)
        md.treeprocessors.register(HeadingLevels(md), "heading_levels", 5)
        # Below backticks (190), so a code inside `code` stays literal.
        md.inlinePatterns.register(InlineQuotationProcessor(INLINE_CODE, md, self), "q", 175)

    def reset(self):
        self.quotations = {}


class Converter(threading.local):
    """One Markdown instance per thread, reset for each text: building one (its extensions,
    their processors and patterns) cost more than converting a paragraph."""

    def __init__(self):
        self.quotation_codes = QuotationExtension()
        self.markdown = markdown.Markdown(
            extensions=["extra", "sane_lists", self.quotation_codes, BoundedLinksExtension()],
            output_format="html",
        )

    def convert(self, text, quotations):
        self.markdown.reset()
        self.quotation_codes.quotations = quotations
        try:
            return self.markdown.convert(text)
        finally:
            self.markdown.reset()  # drop this text's stash and quotations


converter = Converter()


def load_quotations(text):
    from .models import Quotation

    ids = quotation_ids(text)
    if not ids:
        return {}
    return Quotation.objects.only("block_html", "inline_html").in_bulk(ids)


def render_markdown(text, embed_quotations=True, quotations=None, limited=False):
    """Markdown with quotation codes to sanitized HTML (posts, updates, quotations, preview).

    `quotations`: {id: quotation} already loaded (a post's renderer loads them once for the
    body and every update); otherwise the codes' quotations are looked up here.
    `limited`: what an editor just typed (the preview, the admin forms) renders under
    time_limit(); a MarkupError says why a text is refused.
    """
    text = text or ""
    check_markdown(text)
    if quotations is None:
        quotations = load_quotations(text) if embed_quotations else {}
    try:
        with time_limit() if limited else contextlib.nullcontext():
            converted = unique_footnote_ids(converter.convert(text, quotations), text)
    except RecursionError as error:  # a shape check_markdown did not foresee
        raise MarkupError("The text is nested too deeply to render.") from error
    return post_cleaner.clean(converted)


def unique_footnote_ids(converted, text):
    """Footnote ids carry a digest of their text, so bodies sharing a page never collide."""
    if "fn:" not in converted:
        return converted
    prefix = hashlib.blake2s(text.encode(), digest_size=3).hexdigest()
    return re.sub(r'(id="|href="#)(fn|fnref):', rf"\1\2-{prefix}:", converted)


def render_comment(text):
    """A reader's plain text to sanitized HTML: paragraphs, line breaks and nofollow links."""
    paragraphs = re.split(r"\n\s*\n", (text or "").strip().replace("\r\n", "\n"))
    body = "".join(
        "<p>{}</p>".format(html.escape(paragraph).replace("\n", "<br>"))
        for paragraph in paragraphs
        if paragraph.strip()
    )
    linked = _linker().linkify(body)
    return comment_cleaner.clean(linked)


@lru_cache(maxsize=1)
def _linker():
    return bleach.linkifier.Linker(parse_email=False, callbacks=[])
