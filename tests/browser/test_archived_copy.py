"""Our archived copy of a source, in Chromium: a document full of scripts runs none of them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from integrity import snapshots
from integrity.views import SANDBOX_POLICY


def hostile_document(base):
    """A saved page trying every way to run a script; each would request /ran/<how>."""
    ran = f"{base}/ran"
    return f"""<!doctype html><html><head><title>Copy</title>
<script>fetch("{ran}/script"); document.title = "ran";</script>
<script src="{ran}/external.js"></script>
<meta http-equiv="refresh" content="0; url={ran}/refresh">
</head><body onload="fetch('{ran}/onload')">
<p>No one links these issues to any exchange.</p>
<img src="x" onerror="fetch('{ran}/onerror')">
<svg onload="fetch('{ran}/svg')"></svg>
<iframe srcdoc="<script>fetch('{ran}/iframe')</script>"></iframe>
<form action="{ran}/form" method="post"><button id="go">Send</button></form>
<a id="js" href="javascript:fetch('{ran}/link')">a link</a>
</body></html>""".encode()


def test_a_snapshot_with_scripts_and_event_handlers_executes_nothing(
    new_page, live_server, source, make_quotation, editor, output_dir
):
    make_quotation()  # public, so its source and the copy are public
    document = hostile_document(live_server.url)
    upload = SimpleUploadedFile("copy.html", document, content_type="text/html; charset=utf-8")
    snapshot = snapshots.from_editor(source, editor, upload=upload)

    # Control: the same document in an ordinary page does run its scripts.
    control = new_page()
    control_requests = []
    control.on("request", lambda request: control_requests.append(request.url))
    unprotected = {"body": document, "content_type": "text/html"}
    control.route("**/control", lambda route: route.fulfill(**unprotected))
    control.goto("/control")
    control.wait_for_timeout(500)
    assert any("/ran/script" in url for url in control_requests)

    page = new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto(reverse("integrity:archived_original", args=[snapshot.pk]))
    assert response.headers["content-security-policy"] == SANDBOX_POLICY
    page.locator("#go").click()
    page.locator("#js").click()
    page.wait_for_timeout(1000)
    page.screenshot(path=output_dir / "screenshots" / "archived-original.png")
    assert page.title() == "Copy"
    assert [url for url in requests if "/ran/" in url] == []
    assert "No one links these issues" in page.content()

    # Our text page of the same copy shows the words, and none of the markup.
    text_page = new_page()
    text_page.goto(reverse("integrity:archived", args=[snapshot.pk]))
    text_page.screenshot(path=output_dir / "screenshots" / "archived-text.png", full_page=True)
    assert text_page.locator("section.archived-text").inner_text().count("No one links") == 1
    assert text_page.locator("section.archived-text script, section.archived-text img").count() == 0
