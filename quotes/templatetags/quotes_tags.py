"""Attribution markup, used when a quotation is rendered at save time (and on its pages),
and the lines of the speakers and sources indexes."""

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def speaker(quotation):
    """The speaker part: linked name and description, an anonymous description, or nothing."""
    parts = []
    if quotation.speaker_id:
        person = quotation.speaker
        parts.append(
            format_html(
                '<a class="speaker" href="{}">{}</a>', person.get_absolute_url(), person.name
            )
        )
        if person.description:
            parts.append(format_html("{}", person.description))
    elif quotation.anonymous_description:
        described = quotation.anonymous_description
        parts.append(format_html('<span class="speaker anonymous">{}</span>', described))
        if clause := quotation.anonymity_clause:
            parts.append(format_html("not named{}{}", "" if clause[0] == ":" else " ", clause))
    if quotation.context:
        parts.append(format_html("{}", quotation.context))
    return format_html_join(", ", "{}", ((part,) for part in parts))


@register.simple_tag
def citation(source, locator=""):
    """The source part: publisher cited and linked to the original, title to our source page."""
    cited = source.display_name
    if source.url:
        cited = format_html('<a href="{}">{}</a>', source.url, cited)
    html = format_html("<cite>{}</cite>", cited)
    if source.publisher:
        html = format_html(
            '{}, “<a href="{}">{}</a>”', html, source.get_absolute_url(), source.title
        )
    if source.author:
        html = format_html("{}, by {}", html, source.author)
    if locator:
        html = format_html("{}, {}", html, locator)
    return html


def long_date(day):
    """ "March 2, 2009", as |date:"F j, Y" writes it in English, without the filter's
    per-call format and language lookups."""
    return f"{day:%B} {day.day}, {day.year}"


@register.simple_tag
def attribution(quotation):
    """The full caption: speaker, source, and the date linked to the quotation's own page."""
    who = speaker(quotation)
    html = citation(quotation.source, quotation.locator)
    if who:
        html = format_html("{} — {}", who, html)
    if quotation.date:
        html = format_html(
            '{}, <a class="quote-date" href="{}"><time datetime="{}">{}</time></a>',
            html,
            quotation.get_absolute_url(),
            quotation.date.isoformat(),
            long_date(quotation.date),
        )
    else:
        html = format_html(
            '{}, <a class="quote-date" href="{}">permalink</a>', html, quotation.get_absolute_url()
        )
    if quotation.translation_note:
        note = quotation.translation_note
        html = format_html('{} <span class="translation">(Translation: {})</span>', html, note)
    return html


# The indexes' <li> lines, joined in Python like blog's `listed_items`: a template loop over
# 100 rows, its |date filters most of all, was most of a sources page's time (13 ms).
@register.filter
def speaker_items(speakers):
    items = [
        f'\n<li><a href="{escape(speaker.get_absolute_url())}">{escape(speaker.name)}</a>'
        + (f", {escape(speaker.description)}" if speaker.description else "")
        + "</li>"
        for speaker in speakers
    ]
    return mark_safe("".join(items))  # noqa: S308 - every value escaped as autoescaping would


@register.filter
def source_items(sources):
    items = [
        f'\n<li><a href="{escape(source.get_absolute_url())}">{escape(source.title)}</a>'
        + (f", {escape(source.publisher)}" if source.publisher else "")
        + (
            f' <time datetime="{source.published_on.isoformat()}">'
            f"{long_date(source.published_on)}</time>"
            if source.published_on
            else ""
        )
        + "</li>"
        for source in sources
    ]
    return mark_safe("".join(items))  # noqa: S308 - every value escaped as autoescaping would
