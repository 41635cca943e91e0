"""Real-browser tests: Playwright (Python, sync API) driving Debian's Chromium against
pytest-django's live server.

Skipped, with the reason printed, where /usr/bin/chromium is missing; in CI (CI set) a
missing Chromium fails them instead (see tests/tools.py). Screenshots go to
$TEST_OUTPUT/screenshots (default: test-output/screenshots in the project).
"""

import os
from pathlib import Path

import pytest

from ..tools import CHROMIUM, ROOT, require_chromium

# Playwright's sync API runs an event loop in this thread; Django would then refuse ORM
# calls (SynchronousOnlyOperation) from fixtures and the live server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def output_dir():
    path = Path(os.environ.get("TEST_OUTPUT", ROOT / "test-output"))
    (path / "screenshots").mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # The live server's static handler knows no hashed (manifest) names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def new_page(browser, live_server):
    """Pages in fresh browser contexts (no shared cookies), closed after the test."""
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
