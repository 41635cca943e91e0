"""One import: detect the format, read the file streamed, load it (load.py)."""

from . import blogger, native, wordpress
from .load import Loader
from .read import HEAD_BYTES, Counted, declare_app_prefix, detect

READERS = {
    "blogger": ("Blogger export", blogger.read),
    "wordpress": ("WordPress export", wordpress.read),
    "json": ("JSON export of this blog", native.read),
}


def import_file(file, dry_run=False, on_read=None):
    """Import a binary file object; returns (format label, report). Raises ImportFailed."""
    head = file.read(HEAD_BYTES)
    kind = detect(head)
    if kind == "blogger":
        head = declare_app_prefix(head)
    label, reader = READERS[kind]
    report = Loader(label).run(reader(Counted(file, head, on_read)), dry_run=dry_run)
    return label, report
