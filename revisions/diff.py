"""What changed between two revisions, as people read it: field by field, words struck out
and inserted in the long texts."""

import datetime
import difflib
import re

from django.utils import timezone
from django.utils.html import format_html, format_html_join

TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old, new):
    """HTML of `new` against `old`: removed words in <del>, added words in <ins> (escaped)."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("{}", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("<ins>{}</ins>", "".join(b[j1:j2])))
    return format_html_join("", "{}", ((format_html(f, text),) for f, text in parts))


def shown(record, field):
    """A field's value in a revision as the admin would show it."""
    value = getattr(record, field.attname)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        if value is None:
            return ""
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"{value} (deleted)"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S %Z")
    return "" if value is None else str(value)


def editor_fields(model):
    """The fields editors write: what a revision shows, compares and restores."""
    return [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]


def changes(old, new, fields):
    """[(label, old text, new text, diff HTML)] of the `fields` that differ from `old` to
    `new` (historical records of one object)."""
    rows = []
    for field in fields:
        if getattr(old, field.attname) == getattr(new, field.attname):
            continue  # unchanged: no lookup of a linked record's name
        before, after = shown(old, field), shown(new, field)
        if before != after:
            rows.append((field.verbose_name, before, after, word_diff(before, after)))
    return rows
