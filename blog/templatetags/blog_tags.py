"""Filters for the blog's public pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Inside <script>, only "</script" or "<!--" could end or change the element: escaping
# <, > and & as JSON \u escapes keeps the JSON equal and the element closed.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """`data` as a JSON-LD <script> element, escaped like Django's json_script."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    # Safe: json.dumps output with every character that could close the element escaped.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
