"""A warning for the post's editor: an embedded quotation differs from its source."""

from django.contrib import messages
from django.utils.html import format_html, format_html_join

from quotes import markup
from quotes.models import Quotation

from .models import Verification

DIFFERS = [Verification.Status.CLOSE, Verification.Status.NOT_FOUND]


def warn_about_differences(request, post):
    """Tell the editor (without blocking the save) which cited quotations differ."""
    # From the body as saved: its citations are recorded when it is rendered, later.
    cited = markup.quotation_ids(post.body)
    differing = (
        Quotation.objects.filter(pk__in=cited, verification__status__in=DIFFERS)
        .select_related("verification", "speaker", "source")
        .order_by("pk")[:20]
    )
    rows = [
        (q.pk, q.get_absolute_url(), str(q), q.verification.get_status_display().lower())
        for q in differing
    ]
    if not rows:
        return
    items = format_html_join("", '<li>[[quote:{}]] <a href="{}">{}</a>: {}</li>', rows)
    messages.warning(
        request,
        format_html(
            "This post quotes words that do not match their source (check them in the "
            "quotation's page in the admin): <ul>{}</ul>",
            items,
        ),
    )
