"""This blog's own export (JSON Lines, docs/export-format.md) read back, a line at a time.

Ids in the file are the exporting site's; each record is kept in ImportedItem under
`export:<type>:<id>`, and quotation codes in bodies are renumbered to the new ids."""

import base64
import binascii
import datetime
import json

from django.contrib.auth import get_user_model

import redirects
from blog.models import Tag, Update
from integrity import tasks as integrity_tasks
from integrity.models import Snapshot
from quotes.markup import ANY_CODE
from quotes.models import Quotation, Source, Speaker

from .export import FORMAT
from .items import CommentItem, Person, PostItem
from .read import ImportFailed


def read(stream):
    buffer = b""
    number = 0
    while True:
        chunk = stream.read(1 << 16)
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            number += 1
            if line.strip():
                yield record(line, number)
        if not chunk:
            break
    if buffer.strip():
        yield record(buffer, number + 1)


def record(line, number):
    try:
        data = json.loads(line)
        kind = data["type"]
    except (ValueError, KeyError, TypeError) as error:
        raise ImportFailed(
            f"Line {number} is not a record of this blog's export: {error}."
        ) from error
    if kind == "header":
        if data.get("format") != FORMAT:
            raise ImportFailed(f"Line {number}: not a {FORMAT} file.")
        return Skip(key="header")
    if kind not in RECORDS:
        raise ImportFailed(f"Line {number}: unknown record type “{kind}”.")
    return Record(kind, data)


class Skip:
    def __init__(self, key):
        self.key = key

    def load(self, loader):
        pass


def moment(value):
    return datetime.datetime.fromisoformat(value) if value else None


def day(value):
    return datetime.date.fromisoformat(value) if value else None


class Record:
    def __init__(self, kind, data):
        self.kind, self.data = kind, data
        self.key = f"export:{kind}:{data.get('id', data.get('old_path'))}"
        self.title = data.get("title") or data.get("name") or ""

    def load(self, loader):
        if self.kind != "post" and loader.known(self.key):
            loader.counts["already imported"] += 1
            return
        RECORDS[self.kind](self, loader)

    def ref(self, loader, kind, name):
        value = self.data.get(name)
        return None if value is None else loader.known(f"export:{kind}:{value}")


def load_author(record, loader):
    data = record.data
    person = Person(data["first_name"], login=data["username"], last_name=data["last_name"])
    loader.remember(record.key, "author", loader.user(person))


def load_tag(record, loader):
    loader.remember(record.key, "tag", loader.tag(record.data["name"]))


def fields_of(record, model):
    """The record's fields; a slug already taken here is left blank for save() to make."""
    data = {k: v for k, v in record.data.items() if k not in {"type", "id"}}
    if model.objects.filter(slug=data.get("slug")).exists():
        data["slug"] = ""
    return data


def load_speaker(record, loader):
    data = fields_of(record, Speaker)
    speaker = Speaker.objects.create(**data)
    loader.remember(record.key, "speaker", speaker)
    loader.counts["speakers"] += 1


def load_source(record, loader):
    data = fields_of(record, Source)
    data["published_on"], data["accessed_on"] = day(data["published_on"]), day(data["accessed_on"])
    source = Source.objects.create(**data)
    loader.remember(record.key, "source", source)
    loader.counts["sources"] += 1


def load_quotation(record, loader):
    data = {k: v for k, v in record.data.items() if k not in {"type", "id"}}
    data["speaker_id"] = record.ref(loader, "speaker", "speaker_id")
    data["source_id"] = record.ref(loader, "source", "source_id")
    data["within_id"] = record.ref(loader, "quotation", "within_id")
    data["said_on"] = day(data["said_on"])
    quotation = Quotation.objects.create(**data)
    loader.remember(record.key, "quotation", quotation)
    loader.counts["quotations"] += 1


def load_snapshot(record, loader):
    data = {k: v for k, v in record.data.items() if k not in {"type", "id", "raw"}}
    data["source_id"] = record.ref(loader, "source", "source_id")
    if data["source_id"] is None:
        raise ImportFailed(f"snapshot {record.data.get('id')} names a source not in the file")
    data["taken_at"] = moment(data["taken_at"])
    try:
        raw = base64.b64decode(record.data.get("raw") or "", validate=True)
    except binascii.Error as error:
        raise ImportFailed(
            f"snapshot {record.data.get('id')}: its document is not base64"
        ) from error
    snapshot = Snapshot.objects.create(raw=raw, **data)
    loader.remember(record.key, "snapshot", snapshot)
    loader.counts["snapshots"] += 1
    # Its source's quotations are checked against it by the worker (queued in this
    # transaction: nothing if the import fails), not inside the import.
    integrity_tasks.verify_source.enqueue(snapshot.source_id)


def renumber(text, loader):
    def code(match):
        new = loader.known(f"export:quotation:{match.group(1)}")
        if new is None:
            raise ImportFailed(f"quotation {match.group(1)} is embedded but not in the file")
        return match.group(0).replace(match.group(1), str(new))

    return ANY_CODE.sub(code, text)


def load_post(record, loader):
    data = record.data
    author = loader.known(f"export:author:{data['author_id']}")
    user = get_user_model().objects.get(pk=author)
    item = PostItem(
        key=record.key, kind="post", title=data["title"], slug=data["slug"],
        published_at=moment(data["published_at"]),
        author=Person(user.get_full_name(), login=user.username),
        body=renumber(data["body"], loader), excerpt=data["excerpt"],
        draft=data["status"] != "published", comments_open=data["comments_open"],
        tags=[tag_name(loader, pk) for pk in data["tag_ids"]],
    )  # fmt: skip
    if loader.known(item.key):
        loader.counts["already imported"] += 1
        return
    loader.add_post(item)
    post_id = loader.known(item.key)
    for update in data["updates"]:
        Update.objects.create(
            post_id=post_id, body=renumber(update["body"], loader),
            timestamp=moment(update["timestamp"]), kind=update["kind"],
            placement=update["placement"],
        )  # fmt: skip
        loader.counts["updates"] += 1


def tag_name(loader, pk):
    return Tag.objects.get(pk=loader.known(f"export:tag:{pk}")).name


def load_comment(record, loader):
    data = record.data
    item = CommentItem(
        key=record.key, post_key=f"export:post:{data['post_id']}", name=data["name"],
        text=data["text"], submitted_at=moment(data["submitted_at"]), status=data["status"],
        parent_key=f"export:comment:{data['in_reply_to_id']}" if data["in_reply_to_id"] else "",
        email=data["email"], url=data["url"], ip_address=data["ip_address"],
        user_agent=data["user_agent"], note=data["note"],
        moderated_at=moment(data["moderated_at"]),
    )  # fmt: skip
    loader.add_comment(item)


def load_redirect(record, loader):
    data = record.data
    if redirects.target(data["old_path"]) == data["new_path"]:
        loader.counts["already imported"] += 1
        return
    redirects.record(data["old_path"], data["new_path"], data["note"])
    loader.counts["redirects"] += 1


RECORDS = {
    "author": load_author, "tag": load_tag, "speaker": load_speaker, "source": load_source,
    "quotation": load_quotation, "snapshot": load_snapshot, "post": load_post,
    "comment": load_comment,
    "redirect": load_redirect,
}  # fmt: skip
