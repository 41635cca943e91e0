"""Filters for the blog's public pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Inside <script>, only "</script" or "<!--" could end or change the element: escaping
# <, > and & as JSON \u escapes keeps the JSON equal and the element closed. Replaced one
# by one: str.translate is ~20x slower on non-ASCII text, a millisecond per post's JSON-LD.
SCRIPT_ESCAPES = [("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E")]


@register.filter
def json_ld(data):
    """`data` as a JSON-LD <script> element, escaped like Django's json_script."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escape in SCRIPT_ESCAPES:
        text = text.replace(character, escape)
    # Safe: json.dumps output with every character that could close the element escaped.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def listed_line(post):
    """A post as a line of a list (tag, month, search, "posts quoting this"): the line stored
    by blog/rendering.py, or rendered now for a post not rendered since lines were stored."""
    if post.line_html:
        return mark_safe(post.line_html)  # noqa: S308 - stored output of blog/_post_line.html
    return render_to_string("blog/_post_line.html", {"post": post})
