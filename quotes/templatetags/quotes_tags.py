"""Attribution markup, used when a quotation is rendered at save time (and on its pages)."""

from django import template
from django.utils.html import format_html, format_html_join

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
            f"{quotation.date:%B} {quotation.date.day}, {quotation.date.year}",
        )
    else:
        html = format_html(
            '{}, <a class="quote-date" href="{}">permalink</a>', html, quotation.get_absolute_url()
        )
    if quotation.translation_note:
        note = quotation.translation_note
        html = format_html('{} <span class="translation">(Translation: {})</span>', html, note)
    return html
