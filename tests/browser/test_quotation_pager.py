"""A speaker's quotations paged in a real browser: Older, Newer and Latest links, read at
phone and desktop widths (screenshots under test-output/screenshots)."""

import datetime

import pytest

from blog import quotation_pages as views

from .conftest import DESKTOP, PHONE


@pytest.mark.parametrize(("width", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_a_reader_pages_through_a_speakers_quotations(
    new_page, make_quotation, speaker, output_dir, monkeypatch, width, viewport
):
    monkeypatch.setattr(views, "QUOTATIONS_PER_PAGE", 2)
    day = datetime.date(2009, 3, 3)
    for n in range(5):
        make_quotation(f"Dated words {n}.", speaker=speaker, said_on=day - datetime.timedelta(n))
    make_quotation("Undated words.", speaker=speaker)
    page = new_page(viewport=viewport, device_scale_factor=1)
    page.goto(speaker.get_absolute_url())
    pager = page.get_by_role("navigation", name="Quotations, by date")
    seen = [page.locator("figure.quotation blockquote").all_inner_texts()]
    follow(page, pager, "Older")
    seen.append(page.locator("figure.quotation blockquote").all_inner_texts())
    path = output_dir / "screenshots" / f"speaker-page-2-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    follow(page, pager, "Older")
    seen.append(page.locator("figure.quotation blockquote").all_inner_texts())
    assert pager.get_by_role("link", name="Older").count() == 0
    assert [text.strip() for texts in seen for text in texts] == [
        *(f"Dated words {n}." for n in range(5)),
        "Undated words.",
    ]
    follow(page, pager, "Newer")
    assert "Dated words 2." in page.locator("figure.quotation").first.inner_text()
    follow(page, pager, "Latest")
    assert "Dated words 0." in page.locator("figure.quotation").first.inner_text()
    assert pager.get_by_role("link", name="Newer").count() == 0


def follow(page, pager, name):
    """Click the pager's link `name` and wait for the page it opens to load: reading the
    list while the old page unloads finds none (seen once in CI)."""
    before = page.url
    pager.get_by_role("link", name=name).click()
    page.wait_for_url(lambda url: url != before)
