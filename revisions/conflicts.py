"""Edit conflicts: a save based on an older version than the stored one is refused.

The form carries the version it was opened on (`based_on`, the row's modified_at) in a hidden
field. If someone saved since, `clean()` refuses the save with what they changed, beside
what this editor typed (kept in the form), and moves `based_on` to the stored version: the
editor merges by hand and saves again. No JavaScript needed; saved-meanwhile.js only warns
earlier, by asking the admin's version URL now and then.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import diff


def version_of(obj):
    return obj.modified_at.isoformat() if obj.modified_at else ""


def who_and_when(record):
    who = record.history_user.get_username() if record and record.history_user else "someone"
    when = timezone.localtime(record.history_date).strftime("%H:%M:%S") if record else "?"
    return who, when


class VersionCheckedForm(forms.ModelForm):
    based_on = forms.CharField(required=False, widget=forms.HiddenInput)
    conflict = None  # set when refused: [(label, theirs, yours)]
    conflict_by = None  # (who, when)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["based_on"].initial = version_of(self.instance)

    def clean(self):
        cleaned = super().clean()
        based_on, current = cleaned.get("based_on"), version_of(self.instance)
        # No version (a client without the field) is not checked; a new object has none.
        if self.instance.pk and based_on and based_on != current:
            self.refuse(based_on, current)
        return cleaned

    def refuse(self, based_on, current):
        history = self.instance.history.select_related("history_user").order_by("-history_id")
        latest = history.first()
        base = history.filter(modified_at=based_on).first()
        self.conflict_by = who_and_when(latest)
        self.conflict = self.their_changes(base, latest) + self.their_other_changes(base)
        # The next save is based on what is stored now: the editor has seen it.
        data = self.data.copy()
        data[self.add_prefix("based_on")] = current
        self.data = data
        who, when = self.conflict_by
        raise ValidationError(
            f"{who} saved this at {when}, after you opened it: nothing was saved. Merge "
            "their changes (shown above) into the form and save again.",
            code="edit_conflict",
        )

    def their_changes(self, base, latest):
        """[(label, theirs, yours)] of the fields the other editor changed (every field
        whose stored value differs from this form's, when the base revision is unknown)."""
        fields = [f for f in diff.editor_fields(type(self.instance)) if f.name in self.fields]
        typed = self.as_instance()
        rows = []
        for field in fields:
            theirs = getattr(self.instance, field.attname)
            if base is not None and latest is not None and getattr(base, field.attname) == theirs:
                continue  # not changed by the other editor
            if field.name not in self.cleaned_data:  # did not validate: as typed
                rows.append((field.verbose_name, diff.shown(self.instance, field),
                             self.data.get(self.add_prefix(field.name), "")))  # fmt: skip
            elif getattr(typed, field.attname) != theirs:
                rows.append((field.verbose_name, diff.shown(self.instance, field),
                             diff.shown(typed, field)))  # fmt: skip
        return rows

    def their_other_changes(self, base):
        """More [(label, theirs, yours)] rows, of what the form edits beside the object
        (a post's updates, in its inline forms): none here."""
        return []

    def as_instance(self):
        """An unsaved object holding this form's values, to show them like stored ones."""
        typed = type(self.instance)()
        for name, value in self.cleaned_data.items():
            field = next((f for f in typed._meta.concrete_fields if f.name == name), None)
            if field is not None:
                setattr(typed, field.attname, getattr(value, "pk", value))
        return typed
