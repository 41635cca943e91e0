"""External tools some tests need (Chromium, Java with the Nu checker, axe-core).

Where a tool is missing the test is skipped with the reason, so `make test` on a laptop
says plainly what did not run. In CI (the CI variable set) a missing tool is a failure:
those tests must run there.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
VNU_JAR = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
AXE_JS = ROOT / "node_modules/axe-core/axe.min.js"
INSTALL_HINT = "run `make browser-deps` (apt-get chromium, Java check, npm ci)"


def missing(what):
    """Skip, or in CI fail, because `what` is not installed."""
    message = f"{what} is not installed: {INSTALL_HINT}"
    if os.environ.get("CI"):
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


def require_chromium():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing(f"Chromium ({CHROMIUM})")


def require_java_and_vnu():
    if not shutil.which("java"):
        missing("Java (for the W3C Nu Html Checker)")
    if not VNU_JAR.is_file():
        missing("the Nu Html Checker (npm vnu-jar)")


def require_axe():
    if not AXE_JS.is_file():
        missing("axe-core (npm)")


def site_env(database):
    """The environment of a blog of its own, in SQLite file `database`, for real processes."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(DATABASE_URL=f"sqlite:///{database}", CACHE_URL="locmem://")
    return environment


def manage(env, *args, timeout=300):
    """Run `manage.py` in a process of its own with `env`; fails the test if it fails."""
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=True,
    )  # fmt: skip
