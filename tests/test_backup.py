"""Backup and restore (docs/operations.md): the project's own dump, restored into an empty
database by real manage.py processes, serves the same pages."""

import json
import subprocess

import pytest

from .tools import manage, site_env

# Run inside each site's process: the text of every public page, as readers get it.
PAGE_TEXTS = """
import html, json, re
from django.test import Client
from blog.models import Post, Tag
from quotes.models import Quotation, Source, Speaker
urls = ["/", "/tags/", "/archive/", "/feed.atom", "/sitemap.xml"]
urls += [p.get_absolute_url() for p in Post.objects.published()]
for kind in (Tag.objects.all(), Speaker.objects.public(), Source.objects.public(),
             Quotation.objects.public()):
    urls += [x.get_absolute_url() for x in kind]
client = Client()
texts = {}
for url in urls:
    response = client.get(url)
    body = re.sub(r"<(script|style)\\b.*?</\\1>", " ", response.content.decode(), flags=re.S)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    texts[url] = [response.status_code, text]
print(json.dumps(texts))
"""

# History that must survive too: a revision, a moderation and a moved post.
EDITS = """
from django.contrib.auth import get_user_model
from blog.comments.moderation import moderate
from blog.models import Comment, Post
post = Post.objects.published().first()
post.slug = "moved-" + post.slug
post.save()
moderator = get_user_model().objects.create_user("mod")
moderate(Comment.objects.filter(post=post), "spam", moderator)
"""

COUNTS = """
from blog.models import Moderation, Post
from redirects.models import Redirect
print(Post.history.count(), Moderation.objects.count(), Redirect.objects.count())
"""


def shell(env, code):
    return manage(env, "shell", "-c", code).stdout.strip()


@pytest.fixture
def original(tmp_path):
    env = site_env(tmp_path / "original.sqlite3")
    manage(env, "migrate", "--noinput")
    manage(env, "loaddemo")
    shell(env, EDITS)
    manage(env, "rerender", "--stale")
    return env


@pytest.mark.parametrize(
    "name, options",
    [("blog.json.gz", []), ("blog.json", ["--in-background"])],  # rendered now, or on read
)
def test_a_restore_from_the_backup_into_an_empty_database_serves_identical_pages(
    original, tmp_path, name, options
):
    dump = tmp_path / name
    manage(original, "backup", str(dump))
    restored = site_env(tmp_path / "restored.sqlite3")
    manage(restored, "restore", str(dump), *options)

    before, after = (
        json.loads(shell(env, PAGE_TEXTS).splitlines()[-1]) for env in (original, restored)
    )
    assert len(before) > 5 and all(status == 200 for status, _ in before.values())
    assert after == before
    assert shell(restored, COUNTS) == shell(original, COUNTS)
    assert shell(restored, COUNTS).split()[1] != "0"  # the moderation made rows to keep


def test_a_restore_into_a_database_with_content_is_refused(original, tmp_path):
    dump = tmp_path / "blog.json"
    manage(original, "backup", str(dump))
    with pytest.raises(subprocess.CalledProcessError) as refused:
        manage(original, "restore", str(dump))
    assert "The database is not empty" in refused.value.stderr
