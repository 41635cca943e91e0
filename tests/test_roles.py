"""Roles mean what they say: every admin and public URL, walked as each role.

Editors (group "Editors") write posts and quotations; moderators (group "Moderators")
handle comments and nothing else unpublished; superusers do everything; anonymous
readers see public pages only.
"""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

import redirects
from blog.models import Post, Tag
from integrity import snapshots
from integrity.models import SourceWatch
from transfer.models import ImportedItem

ROLES = ["anonymous", "moderator", "editor", "superuser"]
# Admin models each staff role may open (list and change pages); the add page where allowed.
EDITOR_MODELS = {
    "blog.post",
    "blog.tag",
    "quotes.quotation",
    "quotes.speaker",
    "quotes.source",
    "redirects.redirect",
    "integrity.sourcewatch",
}
MODERATOR_MODELS = {"blog.comment"}
NO_ADD_PAGE = {
    "blog.comment",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_database.dbtaskresult",
    "transfer.importeditem",  # the import ledger: written by imports only
    "integrity.sourcewatch",  # made by the link checks
}


def user_for(role):
    User = get_user_model()
    if role == "anonymous":
        return None
    if role == "superuser":
        return User.objects.create_superuser("root", "root@example.org", "x")
    user = User.objects.create_user(role, is_staff=True)
    user.groups.add(Group.objects.get(name={"editor": "Editors"}.get(role, "Moderators")))
    return user


@pytest.fixture
def site(make_post, make_quotation, make_comment, speaker):
    """One of everything: a published, a draft and a scheduled post, a hidden quotation."""
    public_quote = make_quotation(speaker=speaker, is_public=False)
    hidden_quote = make_quotation("Not yet said in public.", is_public=False)
    post = make_post(f"[[quote:{public_quote.pk}]]", title="Published one")
    post.tags.add(Tag.objects.create(name="Russia"))
    draft = make_post(f"[[quote:{hidden_quote.pk}]]", status=Post.Status.DRAFT)
    scheduled = make_post(published_at=timezone.now() + datetime.timedelta(days=2))
    comment = make_comment(post)
    AccessAttempt.objects.create(username="x", ip_address="192.0.2.1", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="192.0.2.1")
    AccessFailureLog.objects.create(username="x", ip_address="192.0.2.1")
    snapshot = snapshots.from_editor(public_quote.source, None, "No one links these issues.")
    watch = SourceWatch.objects.create(source=public_quote.source)
    return locals()


def admin_expectations(site):
    """(url, {role: status}) for the admin index and every registered model's pages."""
    staff = {"anonymous": 302, "moderator": 200, "editor": 200, "superuser": 200}
    yield reverse("admin:index"), staff
    # Importing signs posts as other authors: superusers, or whom they give the permission.
    yield reverse("admin:transfer_import"), {**staff, "moderator": 403, "editor": 403}
    objects = {
        "blog.post": site["post"],
        "blog.tag": Tag.objects.get(),
        "blog.comment": site["comment"],
        "quotes.quotation": site["public_quote"],
        "quotes.speaker": site["speaker"],
        "quotes.source": site["public_quote"].source,
        "auth.user": get_user_model().objects.first(),
        "auth.group": Group.objects.first(),
        "axes.accessattempt": AccessAttempt.objects.first(),
        "axes.accesslog": AccessLog.objects.first(),
        "axes.accessfailurelog": AccessFailureLog.objects.first(),
        "django_tasks_database.dbtaskresult": None,  # the task queue: lists only, here
        "integrity.sourcewatch": site["watch"],
        "redirects.redirect": redirects.record(
            "/2009/03/old.html", site["post"].get_absolute_url()
        ),
        "transfer.importeditem": ImportedItem.objects.create(
            key="blogger:1", kind="post", object_id=site["post"].pk
        ),
    }
    assert {m._meta.label_lower for m in admin.site._registry} == set(objects)
    for label, obj in objects.items():
        prefix = f"admin:{label.replace('.', '_')}"
        allowed = {
            "anonymous": 302,
            "moderator": 200 if label in MODERATOR_MODELS else 403,
            "editor": 200 if label in EDITOR_MODELS else 403,
            "superuser": 200,
        }
        yield reverse(f"{prefix}_changelist"), allowed
        if obj is not None:
            yield reverse(f"{prefix}_change", args=[obj.pk]), allowed
        if label in NO_ADD_PAGE:
            adding = {**allowed, "moderator": 403, "editor": 403, "superuser": 403}
        else:
            adding = {**allowed, "moderator": 403}
        yield reverse(f"{prefix}_add"), adding


def public_expectations(site):
    everyone = dict.fromkeys(ROLES, 200)
    editors_only = {"anonymous": 404, "moderator": 404, "editor": 200, "superuser": 200}
    post = site["post"]
    day = timezone.localtime(post.published_at)
    for url in [
        "/",
        post.get_absolute_url(),
        f"/{day:%Y}/",
        f"/{day:%Y/%m}/",
        "/tags/",
        "/tags/russia/",
        "/tags/russia/feed.atom",
        "/tags/russia/feed.rss",
        "/archive/",
        "/speakers/",
        site["speaker"].get_absolute_url(),
        reverse("quotes:speaker_feed_atom", args=[site["speaker"].slug]),
        reverse("quotes:speaker_feed_rss", args=[site["speaker"].slug]),
        "/sources/",
        site["public_quote"].source.get_absolute_url(),
        reverse("quotes:source_feed_atom", args=[site["public_quote"].source.slug]),
        reverse("quotes:source_feed_rss", args=[site["public_quote"].source.slug]),
        site["public_quote"].get_absolute_url(),
        "/search/?q=links",
        reverse("blog:comment_posted", args=[post.pk]),
        "/feed.atom",
        "/feed.rss",
        "/sitemap.xml",
        reverse("sitemap_section", args=["quotations"]),
        "/robots.txt",
        "/healthz",
        reverse("admin_password_reset"),
        reverse("password_reset_done"),
        reverse("password_reset_complete"),
        reverse("integrity:archived", args=[site["snapshot"].pk]),
        reverse("integrity:archived_original", args=[site["snapshot"].pk]),
    ]:
        yield url, everyone
    # The admin's finder (quotes/finder.py, at the admin's own address).
    finder = reverse("admin:autocomplete")
    finder += "?app_label=blog&model_name=post&field_name=quotations&term=links"
    yield finder, {"anonymous": 302, "moderator": 403, "editor": 200, "superuser": 200}
    yield site["draft"].get_absolute_url(), editors_only
    yield site["scheduled"].get_absolute_url(), editors_only
    yield site["hidden_quote"].get_absolute_url(), editors_only


# Named URLs the walk does not GET, and where they are tested instead.
WALKED_ELSEWHERE = {
    "blog:comment": "POST only: tests/test_comments.py, tests/test_client_addresses.py",
    "password_reset_confirm": "needs a mailed token: tests/test_logins.py",
    "media": "needs an uploaded file: tests/test_uploads.py",
}


def url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":  # the admin is walked model by model
                yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_the_walk_covers_every_named_public_url(site):
    walked = {resolve(url.split("?")[0]).view_name for url, _ in public_expectations(site)}
    walked |= {"markdownx_markdownify", "markdownx_upload", "page_preview"}  # POSTed in the walk
    assert set(url_names(get_resolver().url_patterns)) - walked == set(WALKED_ELSEWHERE)


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_and_public_url_answers_each_role_as_its_rights_say(client, site, role):
    user = user_for(role)
    if user:
        client.force_login(user)
    wrong = []
    for url, expected in [*admin_expectations(site), *public_expectations(site)]:
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{url}: {status}, expected {expected[role]}")
    # The editor's tools are POSTs: the preview, and an upload (empty here, so a 400).
    tools = {
        reverse("markdownx_markdownify"): {"content": "*hi*"},
        reverse("markdownx_upload"): {},
        reverse("page_preview"): {"title": "Hi", "body": "*hi*"},
    }
    allowed = {"markdownx_markdownify": 200, "markdownx_upload": 400, "page_preview": 200}
    for name, (url, data) in zip(allowed, tools.items(), strict=True):
        status = client.post(url, data).status_code
        expected = allowed[name] if role in ("editor", "superuser") else 403
        if status != expected:
            wrong.append(f"POST {url}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_a_moderator_gets_404_on_draft_and_scheduled_previews_and_403_on_the_preview(client, site):
    client.force_login(user_for("moderator"))
    assert client.get(site["draft"].get_absolute_url()).status_code == 404
    assert client.get(site["scheduled"].get_absolute_url()).status_code == 404
    response = client.post(reverse("markdownx_markdownify"), {"content": "x"})
    assert response.status_code == 403


def add_post(client, author):
    now = timezone.localtime() - datetime.timedelta(minutes=5)
    data = {
        "title": "Signed",
        "body": "Body.",
        "status": "draft",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "author": author.pk,
        "comments_open": "on",
        **{f"updates-{k}": v for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()},
    }
    return client.post(reverse("admin:blog_post_add"), data)


def test_an_editor_signs_their_own_posts_whatever_the_form_says(client, editor, author):
    client.force_login(editor)
    assert 'name="author"' not in client.get(reverse("admin:blog_post_add")).content.decode()
    assert add_post(client, author).status_code == 302
    assert Post.objects.get().author == editor


def test_an_editor_changing_anothers_post_keeps_its_author(client, editor, author, make_post):
    post = make_post()
    client.force_login(editor)
    url = reverse("admin:blog_post_change", args=[post.pk])
    assert 'name="author"' not in client.get(url).content.decode()


def test_a_superuser_may_sign_a_post_as_another_author(client, author):
    client.force_login(user_for("superuser"))
    assert 'name="author"' in client.get(reverse("admin:blog_post_add")).content.decode()
    assert add_post(client, author).status_code == 302
    assert Post.objects.get().author == author
