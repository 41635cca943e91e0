"""The admin's import page: upload, dry-run summary, then import; for permitted staff only."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from blog.models import Comment, Post

from .transfer_helpers import DATA, nothing_written

URL = "/admin/transfer/importeditem/import/"
pytestmark = pytest.mark.django_db


def upload(name="wordpress-sample.wxr", content=None):
    content = content if content is not None else (DATA / name).read_bytes()
    return SimpleUploadedFile(name, content, content_type="application/xml")


def test_upload_shows_a_summary_then_imports(admin_client):
    page = admin_client.get(URL)
    assert page.status_code == 200 and "Check the file" in page.content.decode()
    checked = admin_client.post(URL, {"export": upload()})
    text = checked.content.decode()
    assert "Check before importing: wordpress-sample.wxr (WordPress export)" in text
    assert "comments (spam): 1" in text and "“Members only” was password-protected" in text
    nothing_written(users_before=1)
    token = checked.context["token"]
    done = admin_client.post(URL, {"confirm": token}, follow=True)
    assert done.redirect_chain[-1][0] == "/admin/transfer/importeditem/"
    assert "WordPress export imported: authors: 2;" in done.content.decode()
    assert Post.objects.filter(slug="medvedev-answers").exists()
    assert Comment.objects.filter(status=Comment.Status.SPAM).count() == 1
    # The upload is gone: the same confirmation cannot import twice.
    again = admin_client.post(URL, {"confirm": token})
    assert "That upload has expired" in again.content.decode()


def test_bad_file_shows_the_error_and_keeps_nothing(admin_client):
    response = admin_client.post(URL, {"export": upload("broken.xml", b"<rss><channel><item>")})
    text = response.content.decode()
    assert "errornote" in text and "not a Blogger export" in text
    nothing_written(users_before=1)


def test_a_forged_token_is_refused(admin_client):
    response = admin_client.post(URL, {"confirm": "../../etc/passwd"})
    assert "That upload has expired" in response.content.decode()
    nothing_written(users_before=1)


def test_staff_need_the_import_permission(editor_client, editor):
    assert editor_client.get(URL).status_code == 403
    assert editor_client.post(URL, {"export": upload()}).status_code == 403
    editor.user_permissions.add(Permission.objects.get(codename="import_blog"))
    assert editor_client.get(URL).status_code == 200


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
