"""The editor's image upload accepts only real raster images, re-encoded; media is sandboxed."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

UPLOAD = reverse("markdownx_upload")
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media_root):
    return sorted(p.name for p in media_root.rglob("*") if p.is_file())


def image_bytes(image_format, size=(40, 30), color=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=image_format)
    return out.getvalue()


def upload(client, data, name="picture.png", content_type="image/png"):
    file = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(UPLOAD, {"image": file}, **AJAX)


@pytest.mark.parametrize(
    ("image_format", "extension", "sent_as"),
    [("PNG", "png", "image/png"), ("JPEG", "jpg", "image/jpeg"), ("PNG", "png", "image/gif")],
)
def test_a_real_image_is_stored_re_encoded_and_named_by_its_detected_type(
    editor_client, media_root, image_format, extension, sent_as
):
    original = image_bytes(image_format) + b"<script>alert(1)</script>"  # trailing junk
    response = upload(editor_client, original, name="x.html", content_type=sent_as)
    assert response.status_code == 200, response.content
    code = json.loads(response.content)["image_code"]
    [name] = stored(media_root)
    assert name.endswith(f".{extension}") and code == f"![](/media/uploads/{name})"
    data = (media_root / "uploads" / name).read_bytes()
    assert data != original and b"<script" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == image_format and image.size == (40, 30)


HTML = b"<!doctype html><script>alert(document.cookie)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
# The classic GIF/JavaScript polyglot: a GIF header whose "width" opens a JS comment.
POLYGLOT = b"GIF89a/*\x00\x00\x00\x00*/=1;alert(document.domain);//" + b"\x00" * 20


@pytest.mark.parametrize(
    ("data", "name", "content_type", "reason"),
    [
        (HTML, "x.html", "image/gif", "not an image"),
        (HTML, "x.png", "image/png", "not an image"),
        (SVG, "x.svg", "image/svg+xml", "not an image"),
        (SVG, "x.png", "image/png", "not an image"),
        (POLYGLOT, "x.gif", "image/gif", "not an image"),
        (image_bytes("PNG", size=(400, 300))[:300], "x.png", "image/png", "damaged or incomplete"),
        (b"\x89PNG" + b"\x00" * (20 * 1024 * 1024), "big.png", "image/png", "at most 5"),
    ],
    ids=["html-as-gif", "html-as-png", "svg", "svg-as-png", "polyglot", "truncated", "20MB"],
)
def test_what_is_not_a_complete_allowed_image_is_refused_with_the_reason(
    editor_client, media_root, data, name, content_type, reason
):
    response = upload(editor_client, data, name=name, content_type=content_type)
    assert response.status_code == 400
    message = " ".join(json.loads(response.content)["image"])
    assert reason in message
    assert stored(media_root) == []


def test_a_huge_canvas_is_refused_before_it_is_decoded(editor_client, media_root):
    data = image_bytes("PNG", size=(10_000, 5_000), color=(0, 0, 0))
    response = upload(editor_client, data)
    assert response.status_code == 400
    assert "megapixels" in " ".join(json.loads(response.content)["image"])
    assert stored(media_root) == []


@pytest.fixture
def moderator(db):
    user = get_user_model().objects.create_user("mod", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_a_moderator_may_not_upload(client, moderator, media_root):
    client.force_login(moderator)
    response = upload(client, image_bytes("PNG"))
    assert response.status_code == 403
    assert stored(media_root) == []


def test_uploaded_media_is_served_with_nosniff_and_a_sandboxing_csp(editor_client, client):
    code = json.loads(upload(editor_client, image_bytes("PNG")).content)["image_code"]
    url = code[4:-1]
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_uploads_stored_before_the_fix_are_found_and_deleted(media_root):
    folder = media_root / "uploads"
    folder.mkdir()
    (folder / "old.html").write_bytes(HTML)
    (folder / "fine.png").write_bytes(image_bytes("PNG"))
    (folder / "misnamed.html").write_bytes(image_bytes("PNG"))
    out = io.StringIO()
    call_command("checkuploads", "--delete", stdout=out)
    assert "uploads/old.html: This file is not an image" in out.getvalue()
    assert "uploads/misnamed.html: a PNG image named 'misnamed.html'" in out.getvalue()
    assert stored(media_root) == ["fine.png"]
