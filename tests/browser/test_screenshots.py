"""Screenshots of the front page and a post at phone and desktop widths, for people to
look at (saved under test-output/screenshots), and checks that the phone layout holds."""

import pytest

from .conftest import DESKTOP, PHONE


@pytest.mark.parametrize(("width", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
@pytest.mark.parametrize("which", ["front", "post"])
def test_screenshots_at_phone_and_desktop_widths(
    new_page, demo, output_dir, which, width, viewport
):
    page = new_page(viewport=viewport, device_scale_factor=1)
    page.goto("/" if which == "front" else demo.get_absolute_url())
    path = output_dir / "screenshots" / f"{which}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    # Nothing wider than the screen: no sideways scrolling on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # Quotation attributions stay readable: at least 14px text.
    sizes = page.eval_on_selector_all(
        "figure.quotation figcaption",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert all(size >= 14 for size in sizes), sizes
