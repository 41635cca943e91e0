"""A reader's path through the site, in Chromium."""

import re

import feedparser
from playwright.sync_api import expect

from quotes.models import Quotation

REFERENCE = "Obama to Russia: Help Us And We'll Help You"


def test_a_reader_goes_from_the_front_page_to_a_speaker_and_follows_the_feed(page, demo):
    page.goto("/")
    expect(page).to_have_title(re.compile("On the Record"))
    page.get_by_role("link", name=REFERENCE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REFERENCE)
    assert page.url.endswith(demo.get_absolute_url())

    # Every quotation shows its words with an attribution naming speaker or source.
    figures = page.locator("article figure.quotation")
    cited = Quotation.objects.filter(posts=demo, within__isnull=True).count()
    assert figures.count() >= 1
    for i in range(figures.count()):
        figure = figures.nth(i)
        expect(figure.locator("blockquote")).not_to_be_empty()
        caption = figure.locator("figcaption")
        expect(caption.locator("cite")).to_be_visible()
        expect(caption).to_contain_text(re.compile("The New York Times|Medvedev"))
    assert figures.count() + page.locator("article q.quotation-inline").count() >= cited

    page.locator("figcaption a.speaker", has_text="Dmitri A. Medvedev").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dmitri A. Medvedev")
    expect(page.locator("figure.quotation").first).to_be_visible()

    feed_link = page.get_by_role("link", name="Atom feed").first
    href = feed_link.get_attribute("href")
    assert href.endswith("/speakers/dmitri-a-medvedev/feed.atom")
    response = page.request.get(href)
    assert response.ok and "atom+xml" in response.headers["content-type"]
    feed = feedparser.parse(response.body())
    assert not feed.bozo and feed.entries
    assert all("Medvedev" in entry.title for entry in feed.entries)
    # The page advertises the same feed to feed readers.
    assert page.locator(f'link[rel="alternate"][href="{href}"]').count() == 1


def test_a_reader_searches_and_finds_posts_and_quotations(page, demo):
    page.goto("/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Search").click()
    page.get_by_label("Words, a speaker or a source").fill("missile defense")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("match “missile defense”")
    expect(page.locator("#posts-heading + ul a", has_text=REFERENCE)).to_be_visible()


def test_the_skip_link_and_focus_outline_work_from_the_keyboard(page, demo):
    page.goto(demo.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#content$"))  # waits: a busy machine is slow
    # The next Tab lands inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none"


def test_tags_link_to_their_pages(page, demo):
    page.goto(demo.get_absolute_url())
    page.locator("article .tags").get_by_role("link", name="Russia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Posts tagged Russia")
    expect(page.get_by_role("link", name=REFERENCE)).to_be_visible()
