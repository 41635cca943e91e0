"""axe-core (from npm, injected into the page) finds no serious or critical violation."""

import json

import pytest

from ..tools import AXE_JS, require_axe

SERIOUS = {"serious", "critical"}
# Structure rules that matter to screen-reader users even where axe rates them moderate.
STRUCTURE = {"heading-order", "landmark-one-main", "region", "page-has-heading-one", "bypass"}


def violations(page):
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def describe(found):
    return json.dumps(
        [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in found
        ],
        indent=1,
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("which", ["front", "post", "speaker", "archive", "month"])
def test_no_serious_or_critical_accessibility_violations(new_page, demo, which, scheme):
    require_axe()
    urls = {
        "front": "/",
        "post": demo.get_absolute_url(),
        "speaker": demo.quotations.filter(speaker__isnull=False).first().speaker.get_absolute_url(),
        "archive": "/archive/",
        "month": "/2009/03/",
    }
    # The injected script is inline: let it past the site's Content-Security-Policy.
    page = new_page(bypass_csp=True, color_scheme=scheme)
    page.goto(urls[which])
    found = violations(page)
    bad = [v for v in found if v["impact"] in SERIOUS or v["id"] in STRUCTURE]
    assert not bad, describe(bad)


def test_headings_descend_in_order_on_the_post_page(page, demo):
    page.goto(demo.get_absolute_url())
    levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "hs => hs.map(h => +h.tagName[1])")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    landmarks = page.eval_on_selector_all(
        "header.site-header, nav, main, footer.site-footer", "els => els.map(e => e.tagName)"
    )
    assert landmarks == ["HEADER", "NAV", "MAIN", "FOOTER"]
