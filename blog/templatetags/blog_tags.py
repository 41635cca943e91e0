"""Filters for the blog's public pages."""

import datetime
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatewords
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# Inside <script>, only "</script" or "<!--" could end or change the element: escaping
# <, > and & as JSON \u escapes keeps the JSON equal and the element closed. Replaced one
# by one: str.translate is ~20x slower on non-ASCII text, a millisecond per post's JSON-LD.
SCRIPT_ESCAPES = [("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E")]


@register.filter
def json_ld(data):
    """`data` as a JSON-LD <script> element, escaped like Django's json_script."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escaped in SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    # Safe: json.dumps output with every character that could close the element escaped.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def listed_line(post):
    """A post as a line of a list (tag, month, search, "posts quoting this"): the line stored
    by blog/rendering.py, or rendered now for a post not rendered since lines were stored."""
    if post.line_html:
        return mark_safe(post.line_html)  # noqa: S308 - stored output of blog/_post_line.html
    return render_to_string("blog/_post_line.html", {"post": post})


SUMMARY_WORDS = 40


@register.filter
def listed_items(posts):
    """`posts` as the <li> items of a list (tag, month, search), each its line and the first
    SUMMARY_WORDS words of its summary: joined here, a fraction of a template loop's time."""
    items = [
        f"\n<li>{listed_line(post)}\n<p>{escape(first_words(post.summary))}</p></li>"
        for post in posts
    ]
    # Safe: stored lines (listed_line) and summaries escaped as autoescaping would.
    return mark_safe("".join(items))  # noqa: S308


@register.filter
def tag_items(tags, cap):
    """The tag index's <li> items, each tag with its count of posts (`cap`+ past the cap),
    joined here like `listed_items`."""
    items = []
    for tag in tags:
        n = tag.post_count
        count = f"{cap}+ posts" if n > cap else f"{n} post{'' if n == 1 else 's'}"
        url, name = escape(tag.get_absolute_url()), escape(tag.name)
        items.append(
            f'\n<li><a href="{url}" rel="tag">{name}</a> <span class="count">{count}</span></li>'
        )
    # Safe: names and addresses escaped as autoescaping would.
    return mark_safe("".join(items))  # noqa: S308


def first_words(text, count=SUMMARY_WORDS):
    """The `truncatewords` filter's text, without its machinery for a text this short."""
    words = text.split()
    return " ".join(words) if len(words) <= count else truncatewords(text, count)


# What date_cached has formatted: {(type, ISO value, zone, format, language): text}.
_dates = {}
MAX_DATES = 20_000


@register.filter(expects_localtime=True, is_safe=False)
def date_cached(value, arg=None):
    """The `date` filter, remembered: a stored page formats the same dates again and again
    (a post's own in its listing, article, line and head; a source's in every post citing
    it). The text depends only on the value as shown (its wall time, offset and zone), the
    format and the language, so those are the key; anything else is formatted afresh."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:  # formatted in the default zone: not remembered
            return date_filter(value, arg)
        key = (datetime.datetime, value.isoformat(), value.tzinfo, arg, get_language())
    elif isinstance(value, datetime.date):
        key = (datetime.date, value.isoformat(), None, arg, get_language())
    else:
        return date_filter(value, arg)
    text = _dates.get(key)
    if text is None:
        if len(_dates) >= MAX_DATES:
            _dates.clear()
        text = _dates[key] = date_filter(value, arg)
    return text
