"""What the readers (blogger.py, wordpress.py, native.py) hand to the loader (load.py)."""

import dataclasses
import datetime


@dataclasses.dataclass
class Person:
    name: str  # the display name; our own export gives first and last apart
    email: str = ""
    login: str = ""
    last_name: str = ""


@dataclasses.dataclass
class PostItem:
    key: str  # stable in the export: Blogger entry id, WordPress guid...
    kind: str  # "post" or "page"
    title: str
    published_at: datetime.datetime
    author: Person
    html: str = ""  # imported HTML, converted by bodies.py
    body: str | None = None  # already in the body format (our own export)
    slug: str = ""
    draft: bool = False
    tags: list = dataclasses.field(default_factory=list)
    old_path: str = ""  # the old address, redirected to the new one
    report: str = ""  # a line for the report (a private post imported as a draft...)
    excerpt: str = ""
    comments_open: bool = True
    updated_at: datetime.datetime | None = None  # last edited in the old blog


@dataclasses.dataclass
class CommentItem:
    key: str
    post_key: str
    name: str
    text: str  # plain text
    submitted_at: datetime.datetime
    status: str = "approved"
    parent_key: str = ""
    email: str = ""
    url: str = ""
    ip_address: str | None = None
    user_agent: str = ""
    note: str = ""
    moderated_at: datetime.datetime | None = None
