"""An administrator imports a WordPress export in the admin: upload, summary, import."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from blog.models import Post

from ..transfer_helpers import DATA


def test_upload_check_then_import(page, output_dir, live_server):
    get_user_model().objects.create_superuser("boss", "boss@example.org", "correct horse")
    page.goto("/admin/login/?next=/admin/transfer/importeditem/import/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Import a blog")).to_be_visible()

    page.get_by_label("Export file").set_input_files(str(DATA / "wordpress-sample.wxr"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check before importing")).to_contain_text(
        "wordpress-sample.wxr (WordPress export)"
    )
    expect(page.locator(".import-summary")).to_contain_text("comments (spam): 1")
    page.screenshot(path=output_dir / "screenshots/import-summary.png", full_page=True)
    assert not Post.objects.exists()

    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messagelist")).to_contain_text("WordPress export imported: authors: 2")
    post = Post.objects.get(slug="medvedev-answers")
    page.goto(post.get_absolute_url())
    expect(page.locator("article.post-full")).to_contain_text(
        "No one links these issues to any exchange"
    )
    assert "<!-- wp:" not in page.content()
