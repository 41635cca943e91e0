"""Issue 12 in a real browser: a duplicate source offered in the "+" popup, nothing typed
lost (leave-page warning, crash restore), and a preview that shows the page."""

import re

from playwright.sync_api import expect

from quotes.models import Quotation, Source

from .test_editor import choose


def log_in(page, next_url="/admin/blog/post/add/"):
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    # The editor's scripts set up the form after load; typing before could be undone.
    page.wait_for_load_state("networkidle")


def select2_lines(page, field_id, typed):
    """The lines the autocomplete offers for `typed`, then closes it."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    options = page.locator(".select2-results__option:not(.loading-results)")
    expect(options.first).not_to_have_text(re.compile("Searching"))
    lines = options.all_inner_texts()
    page.keyboard.press("Escape")
    return lines


def test_the_plus_popup_offers_the_existing_source_from_a_fresh_demo(
    page, demo, editor, output_dir
):
    nyt = Source.objects.get(publisher="The New York Times")
    sources_before = Source.objects.count()
    log_in(page)
    page.get_by_label("Title").fill("The letter, again")

    # Every quotation line in the finder is its own.
    lines = select2_lines(page, "id_find_quotations", "Medvedev")
    assert len(lines) >= 2 and len(lines) == len(set(lines)), lines

    with page.expect_popup() as info:
        page.locator("#add_id_find_quotations").click()
    quotation_popup = info.value
    quotation_popup.wait_for_load_state("networkidle")
    quotation_popup.locator("#id_text").fill("We are ready to discuss the issue.")

    # The editor adds the reference post's source again, as a new user would.
    with quotation_popup.expect_popup() as info:
        quotation_popup.locator("#add_id_source").click()
    source_popup = info.value
    source_popup.locator("#id_title").fill("Obama offered deal to Russia in secret letter")
    source_popup.locator("#id_publisher").fill("The New York Times")
    source_popup.locator("#id_url").fill(
        "http://nytimes.com/2009/03/03/washington/03prexy.html?utm_source=twitter"
    )
    source_popup.locator("input[name=_save]").click()
    offer = source_popup.locator(".likely-duplicates")
    expect(offer).to_contain_text("Already in the records?")
    expect(offer).to_contain_text("Obama Offered Deal to Russia in Secret Letter")
    expect(offer).to_contain_text("Mar 2, 2009")
    source_popup.screenshot(path=output_dir / "screenshots" / "duplicate-source-offer.png")
    # Waiting from before the click: the answer closes the popup at once.
    with source_popup.expect_event("close"):
        offer.get_by_role("link", name="Use this one").click()

    # The quotation's source is now the existing one.
    expect(quotation_popup.locator("#id_source")).to_have_value(str(nyt.pk))
    expect(quotation_popup.locator("#select2-id_source-container")).to_contain_text("Mar 2, 2009")
    lines = select2_lines(quotation_popup, "id_source", "Secret Letter")
    assert lines and len(lines) == len(set(lines)), lines
    choose(quotation_popup, "id_speaker", "Medvedev", "Dmitri A. Medvedev")
    with quotation_popup.expect_event("close"):
        quotation_popup.locator("input[name=_save]").click()

    quotation = Quotation.objects.get(text="We are ready to discuss the issue.")
    assert quotation.source_id == nyt.pk
    assert Source.objects.count() == sources_before
    # The new quotation is marked as new in the form that opened the popup.
    picked = page.locator("#id_find_quotations + .select2 .select2-selection__choice")
    expect(picked.filter(has_text=f"#{quotation.pk} ")).to_contain_text("(new)")
    lines = select2_lines(page, "id_find_quotations", "Medvedev")
    assert len(lines) == len(set(lines)), lines


def test_leaving_with_unsaved_text_warns_and_a_crash_offers_the_draft(page, new_page, editor, db):
    log_in(page)
    body = page.locator("#id_body")
    body.click()
    page.keyboard.type("Words I must not lose.")
    page.wait_for_timeout(500)  # the draft is kept 300 ms after the last keystroke

    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on the page"

    page.on("dialog", answer)
    page.locator("#site-name a").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/admin/blog/post/add/")
    expect(body).to_have_value("Words I must not lose.")

    # A crash: the tab goes away without asking; the next visit offers the draft.
    context = page.context
    page.close(run_before_unload=False)
    again = context.new_page()
    again.goto("/admin/blog/post/add/")
    again.wait_for_load_state("networkidle")
    offer = again.locator(".draft-offer")
    expect(offer).to_contain_text("Unsaved text of this post")
    expect(again.locator("#id_body")).to_have_value("")  # offered, not forced
    offer.get_by_role("button", name="Restore it").click()
    expect(again.locator("#id_body")).to_have_value("Words I must not lose.")
    expect(offer).to_have_count(0)


def test_the_preview_shows_the_page_with_updates_and_sources(
    new_page, editor, quotation, output_dir
):
    # An editor far from New York: Django's offset note would show, and must not.
    page = new_page(timezone_id="Asia/Tokyo")
    log_in(page)
    page.get_by_label("Title").fill("Madrid, and what was said there")
    page.locator("#id_body").fill("Medvedev answered in public.\n\n")
    choose(page, "id_find_quotations", "Medvedev", "No one links")
    page.get_by_role("button", name=f"Insert block [[quote:{quotation.pk}]]").click()
    page.get_by_role("button", name=re.compile("Add another update", re.I)).click()
    page.locator("#id_updates-0-body").fill("Moscow **later** said the letter changed nothing.")

    preview = page.locator(".page-preview")
    expect(preview.locator("h1")).to_have_text("Madrid, and what was said there")
    expect(preview.locator(".byline")).to_contain_text("By Edie Tor")
    expect(preview.locator(".updates strong", has_text="later")).to_be_visible()
    expect(preview.locator(".updates")).to_contain_text("changed nothing")
    expect(preview.locator(".sources")).to_contain_text("The New York Times")
    caption = preview.locator(f"figure#quote-{quotation.pk} figcaption")
    expect(caption).to_contain_text("Dmitri A. Medvedev")

    # The preview grows with its content: nothing scrolls inside it, out of view.
    inner = preview.evaluate("e => e.scrollHeight - e.clientHeight")
    assert inner <= 1
    caption.scroll_into_view_if_needed()
    box, viewport = caption.bounding_box(), page.viewport_size
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    page.screenshot(path=output_dir / "screenshots" / "editor-page-preview-caption.png")
    preview.locator(".sources").scroll_into_view_if_needed()
    page.screenshot(path=output_dir / "screenshots" / "editor-page-preview-sources.png")

    # The date fields name the blog's time zone; Django's offset note is gone.
    expect(page.locator(".field-published_at .help")).to_contain_text("New York time")
    expect(page.locator(".timezonewarning")).to_have_count(0)


def test_an_editor_merges_two_speakers_from_the_list(page, editor, speaker, output_dir):
    twin = speaker.__class__.objects.create(name="Dmitry Medvedev", description="Duplicate")
    log_in(page, "/admin/quotes/speaker/")
    for record in (speaker, twin):
        page.locator(f"input[name=_selected_action][value='{record.pk}']").check()
    page.locator("select[name=action]").select_option("merge_selected")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".merge-choice")).to_contain_text("Dmitri A. Medvedev — President")
    page.screenshot(path=output_dir / "screenshots" / "merge-speakers-confirm.png")
    page.get_by_label(re.compile("Keep Dmitri A. Medvedev")).check()
    page.get_by_role("button", name="Merge").click()
    expect(page.locator(".messagelist")).to_contain_text("Merged into Dmitri A. Medvedev")
    expect(page.locator("#result_list")).not_to_contain_text("Dmitry Medvedev")
