from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from markdownx.widgets import AdminMarkdownxWidget

from quotes.markup import MarkupError, misplaced_block_codes, missing_quotation_ids, render_markdown
from quotes.models import Quotation
from revisions.conflicts import VersionCheckedForm

from .models import Post, Update


def blog_time():
    """The blog's time zone by name: "New York time" for America/New_York."""
    return settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ") + " time"


def say_time_zone(field, text):
    """The field's help names the blog's time zone (in place of Django's offset note)."""
    field.help_text = f"In {blog_time()}. {text}"


# Long posts are fine; a body past this is almost surely a paste gone wrong.
MAX_BODY_CHARS = 200_000


def check_quotation_codes(text):
    """Each code names a quotation ('Quotation 99 does not exist') and sits where it renders."""
    errors = [f"Quotation {pk} does not exist." for pk in missing_quotation_ids(text)]
    errors += [
        f"{code} must be on a line of its own; inside a sentence use [[q:{code[8:-2]}]]."
        for code in misplaced_block_codes(text)
    ]
    if errors:
        raise ValidationError(errors, code="bad_quotation_code")
    return check_renders(text)


def check_renders(text):
    """The text renders within the pipeline's bounds, or the editor is told why not."""
    try:
        # Codes are checked above; rendering them adds nothing to the time and costs a query.
        render_markdown(text, embed_quotations=False, limited=True)
    except MarkupError as error:
        raise ValidationError(str(error), code="unrenderable") from error
    return text


class QuotationFinderField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.finder_label()


class PostAdminForm(VersionCheckedForm):
    # A finder, not a record: what the post cites is what its body and updates embed.
    find_quotations = QuotationFinderField(
        # The picked quotations' labels name their speaker and source and say "excerpt":
        # one query for all.
        Quotation.objects.with_attribution().annotate(
            has_inner=Exists(Quotation.objects.filter(within=OuterRef("pk")))
        ),
        required=False,
        label="Find or add quotations",
        help_text="Search by words, speaker or source, or add a new quotation with +. "
        "Each one picked shows its codes to paste into the body.",
    )

    # Shown (blog/admin.py) only to an author with no display name yet: bylines never show
    # a login name, so the admin asks for the name once.
    byline_name = forms.CharField(
        required=False,
        max_length=150,
        label="Your name, as bylines show it",
        help_text="E.g. “Jane Doe”. Saved to your account; every post you sign shows it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["find_quotations"].initial = list(
                self.instance.quotations.values_list("pk", flat=True)
            )
        if "published_at" in self.fields:
            say_time_zone(
                self.fields["published_at"],
                "A published post with a future date stays hidden until then.",
            )
        body = self.fields["body"]
        body.max_length = MAX_BODY_CHARS
        body.validators.append(forms.fields.validators.MaxLengthValidator(MAX_BODY_CHARS))

    def clean_body(self):
        return check_quotation_codes(self.cleaned_data["body"])

    def their_other_changes(self, base):
        """The updates the other editor changed since this form was opened, beside what
        this form's inline holds for them (empty if it has none)."""
        if base is None:
            return []
        changed = Update.history.filter(
            post_id=self.instance.pk, history_date__gt=base.history_date
        )
        ids = set(changed.values_list("id", flat=True))
        typed = {}  # update id -> the body in this form's inline
        for key, value in self.data.items():
            if key.startswith("updates-") and key.endswith("-id") and value.isdigit():
                typed[int(value)] = self.data.get(key[: -len("id")] + "body", "")
        return [
            (f"{update} (body)", update.body, typed.get(update.pk, "(not in your form)"))
            for update in Update.objects.filter(pk__in=ids).order_by("timestamp", "pk")
            if typed.get(update.pk) != update.body
        ]

    def clean(self):
        data = super().clean()
        self.check_byline(data)
        return data

    def check_byline(self, data):
        """A published post is signed with its author's display name, never a login name:
        without one the editor is asked for it."""
        if data.get("status") != Post.Status.PUBLISHED:
            return
        author = data.get("author")
        if author is None:  # not on the form: the post's author, or the one writing it
            instance = self.instance
            author = instance.author if instance.author_id else getattr(self, "current_user", None)
        if author is not None and author == getattr(self, "current_user", None):
            if data.get("byline_name", "").strip():
                return  # blog/admin.py saves it to the account
        if author is not None and not author.get_full_name().strip():
            self.add_error(
                None,
                f"The byline needs a display name: give {author.get_username()} one "
                "(“Your name, as bylines show it”, or a first and last name under Users) "
                "before publishing. Posts are never signed with a login name.",
            )

    class Meta:
        widgets = {"body": AdminMarkdownxWidget(attrs={"rows": 20})}


def quotation_finder_widget(admin_site, can_add):
    """The admin's autocomplete over quotations, with the + that opens a popup to add one."""
    field = Post._meta.get_field("quotations")
    widget = AutocompleteSelectMultiple(field, admin_site)
    return RelatedFieldWidgetWrapper(
        widget, field.remote_field, admin_site, can_add_related=can_add
    )


class UpdateInlineForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "timestamp" in self.fields:
            say_time_zone(self.fields["timestamp"], "Shown with the update.")

    def clean_body(self):
        if self.instance.pk and "body" not in self.changed_data:
            return self.cleaned_data["body"]  # checked when it was written
        return check_quotation_codes(self.cleaned_data["body"])


class PreloadedChoiceField(forms.ModelChoiceField):
    """The formset's hidden id field, looked up among the rows it already loaded: Django's
    own queries the database once per form (per update of the post)."""

    def __init__(self, loaded, *args, **kwargs):
        self.loaded = loaded
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.loaded.get(str(value))
        return found if found is not None else super().to_python(value)


class UpdateFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        field = form.fields.get(pk_name)
        if isinstance(field, forms.ModelChoiceField):
            if not hasattr(self, "_loaded_by_pk"):
                self._loaded_by_pk = {str(obj.pk): obj for obj in self.get_queryset()}
            form.fields[pk_name] = PreloadedChoiceField(
                self._loaded_by_pk,
                field.queryset,
                initial=field.initial,
                required=False,
                widget=field.widget,
            )

    class Meta:
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "cols": 80})}
