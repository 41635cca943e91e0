"""Revisions: every editor's save of a post, update, quotation, speaker or source is kept
(django-simple-history's tables, `history` on each model), with who and when.

Staff see them on each object's admin History page (`RevisionsAdminMixin`): the list, a
readable diff between any two (`diff.py`), and restore, which is a save like any other
(a new revision, reported to freshness/ so the pages show it). Edit conflicts (`conflicts.py`)
are caught with the version an editor's form was based on.
"""
