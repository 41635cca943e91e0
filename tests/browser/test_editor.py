"""An editor writes a post in the admin, quoting someone new, and publishes it."""

import re

from playwright.sync_api import expect

from blog.models import Post
from quotes.models import Quotation

WORDS = "We are ready to talk about missile defense, but not as a trade."


def choose(page, field_id, typed, option):
    """Pick `option` in the admin's autocomplete (select2) for the field `field_id`."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_an_editor_quotes_someone_new_previews_and_publishes(
    page, new_page, editor, source, speaker
):
    page.goto("/admin/login/?next=/admin/blog/post/add/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Add post")).to_be_visible()

    page.get_by_label("Title").fill("Madrid, and what was said there")
    page.locator("#id_body").fill("Medvedev answered the letter in public.\n\n")

    # A new quotation, created in the admin's popup from the quotation finder.
    with page.expect_popup() as popup_info:
        page.locator("#add_id_find_quotations").click()
    popup = popup_info.value
    popup.locator("#id_text").fill(WORDS)
    choose(popup, "id_source", "Secret Letter", "Obama Offered Deal")
    choose(popup, "id_speaker", "Medvedev", "Dmitri A. Medvedev")
    popup.locator("#id_context").fill("at a news conference in Madrid")
    popup.locator("input[name=_save]").click()
    popup.wait_for_event("close")
    quotation = Quotation.objects.get(text=WORDS)

    # Its codes appear with buttons; the block code goes into the body.
    page.get_by_role("button", name=f"Insert block [[quote:{quotation.pk}]]").click()
    expect(page.locator("#id_body")).to_have_value(re.compile(rf"\[\[quote:{quotation.pk}\]\]"))

    # The live preview shows the quotation attributed, as the public page will.
    preview = page.locator(".page-preview")
    figure = preview.locator(f"figure#quote-{quotation.pk}")
    expect(figure.locator("blockquote")).to_contain_text("ready to talk about missile defense")
    expect(figure.locator("figcaption")).to_contain_text("Dmitri A. Medvedev")
    expect(figure.locator("figcaption")).to_contain_text("at a news conference in Madrid")
    expect(figure.locator("figcaption cite")).to_contain_text("The New York Times")

    # An update, then publish.
    page.get_by_role("button", name=re.compile("Add another update", re.I)).click()
    page.locator("#id_updates-0-body").fill("Moscow later said the letter changed nothing.")
    page.locator("#id_status").select_option("published")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    post = Post.objects.get(title="Madrid, and what was said there")
    assert post.is_public and post.quotations.get() == quotation

    # A reader (a fresh browser context, no session) sees the post as previewed.
    reader = new_page()
    reader.goto(post.get_absolute_url())
    public = reader.locator(f"article figure#quote-{quotation.pk}")
    expect(public.locator("blockquote")).to_contain_text("ready to talk about missile defense")
    expect(public.locator("figcaption a.speaker")).to_have_text("Dmitri A. Medvedev")
    expect(reader.locator(".updates-appended")).to_contain_text("changed nothing")
    expect(reader.locator(".sources")).to_contain_text("The New York Times")


def test_codes_go_into_the_update_the_editor_is_writing(page, editor, quotation):
    page.goto("/admin/login/?next=/admin/blog/post/add/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    # The editor's scripts set up the textarea after load; typing before could be undone.
    page.wait_for_load_state("networkidle")
    page.locator("#id_body").fill("The body.")
    choose(page, "id_find_quotations", "Medvedev", "No one links")
    page.get_by_role("button", name=re.compile("Add another update", re.I)).click()
    update = page.locator("#id_updates-0-body")
    update.fill("He said it again: ")
    update.click()
    page.get_by_role("button", name=f"Insert inline [[q:{quotation.pk}]]").click()
    expect(update).to_have_value(f"He said it again: [[q:{quotation.pk}]]")
    expect(page.locator("#id_body")).to_have_value("The body.")
    expect(page.locator(".quotation-code-status")).to_have_text(
        f"Inserted [[q:{quotation.pk}]] in the update."
    )
