"""The editor's image upload: only raster images, decoded, checked and encoded anew.

markdownx's own form trusts the browser's Content-Type and keeps the file's bytes and
extension: an HTML or SVG file sent as `image/gif` was stored as `<uuid>.html` and served
from the site's origin. Here the bytes are decoded with Pillow; what is not a complete
image of an allowed type is refused with the reason (400, nothing stored), and what is
stored is a fresh encoding by Pillow (no trailing script, no metadata), named with the
extension of the format Pillow found.
"""

import io
import uuid

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.views.generic.edit import BaseFormView
from PIL import Image, ImageOps

# Pillow's format name -> the extension the stored file gets. Never SVG, never HTML.
FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
# A small file can claim a huge canvas (a "decompression bomb"): refuse before decoding.
MAX_PIXELS = 40_000_000


class ImageUploadForm(forms.Form):
    image = forms.FileField(error_messages={"required": "No file was uploaded."})

    def clean_image(self):
        upload = self.cleaned_data["image"]
        limit = settings.MARKDOWNX_UPLOAD_MAX_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; images may be at most "
                f"{filesizeformat(limit)}."
            )
        self.image = decode(upload)
        return upload

    def save(self):
        """Store the image encoded anew; return its URL."""
        image = self.image
        extension = FORMATS[image.format]
        data = encode(image)
        name = f"{settings.MARKDOWNX_MEDIA_PATH}{uuid.uuid4().hex}.{extension}"
        return default_storage.url(default_storage.save(name, ContentFile(data)))


def decode(upload):
    """The uploaded bytes as a fully decoded Pillow image, or a ValidationError saying why."""
    allowed = ", ".join(sorted(FORMATS))
    upload.seek(0)
    try:
        image = Image.open(upload, formats=list(FORMATS))
    except Image.DecompressionBombError as error:
        raise forms.ValidationError("The image is too large in pixels.") from error
    except (OSError, ValueError, SyntaxError) as error:
        raise forms.ValidationError(
            f"This file is not an image Pillow can read as one of {allowed} "
            "(SVG, HTML and other formats are refused)."
        ) from error
    if image.width * image.height > MAX_PIXELS:
        raise forms.ValidationError(
            f"The image is {image.width}×{image.height} pixels; at most "
            f"{MAX_PIXELS // 1_000_000} megapixels are allowed."
        )
    try:
        image.load()  # every byte of every frame's pixel data must be there
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise forms.ValidationError(
            f"The {image.format} image is damaged or incomplete and cannot be decoded."
        ) from error
    return image


def encode(image):
    """A fresh encoding of `image` in its own format, turned upright, without metadata."""
    image_format = image.format
    animated = getattr(image, "is_animated", False) and image_format in {"GIF", "WEBP"}
    if not animated:
        image = ImageOps.exif_transpose(image)
        if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
    out = io.BytesIO()
    options = {"save_all": True} if animated else {}
    if image_format == "JPEG":
        options["quality"] = 90
    image.save(out, format=image_format, **options)
    return out.getvalue()


class ImageUploadView(BaseFormView):
    """POST an image as `image`: JSON {"image_code": "![](url)"}, or 400 with {"image": [why]}."""

    form_class = ImageUploadForm

    def form_valid(self, form):
        return JsonResponse({"image_code": f"![]({form.save()})"})

    def form_invalid(self, form):
        return JsonResponse(form.errors, status=400)
