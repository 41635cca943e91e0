"""Find uploaded files that the upload would refuse today (stored before issue 13's fix).

manage.py checkuploads            # list them
manage.py checkuploads --delete   # and delete them
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from quotes.uploads import FORMATS, ImageUploadForm


class Command(BaseCommand):
    help = "List (or --delete) uploads that are not images of an allowed type and extension."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete what is found.")

    def handle(self, *args, delete=False, **options):
        folder = settings.MARKDOWNX_MEDIA_PATH
        if not default_storage.exists(folder):
            return
        _, names = default_storage.listdir(folder)
        found = 0
        for name in sorted(names):
            path = folder + name
            reason = self.refusal(path, name)
            if reason:
                found += 1
                self.stdout.write(f"{path}: {reason}")
                if delete:
                    default_storage.delete(path)
        verb = "deleted" if delete else "found"
        self.stdout.write(f"{found} file(s) {verb} that are not allowed images.")

    @staticmethod
    def refusal(path, name):
        with default_storage.open(path) as file:
            form = ImageUploadForm(files={"image": file})
            file.size = default_storage.size(path)
            file.content_type = "application/octet-stream"
            if not form.is_valid():
                return " ".join(form.errors["image"])
        if not name.lower().endswith("." + FORMATS[form.image.format]):
            return f"a {form.image.format} image named {name!r}"
        return ""
