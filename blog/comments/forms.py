from functools import cache

from django import forms
from django.core.validators import URLValidator

from ..models import Comment


class WebAddressField(forms.URLField):
    """Only web addresses: no javascript:, data: or ftp: behind a commenter's name."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class CommentForm(forms.ModelForm):
    """A reader's comment. Every field has a length limit; the URL must be http(s)."""

    template_name = "blog/comment_form_fields.html"
    # The honeypot: hidden from people by CSS, filled in by bots that fill in everything.
    subject = forms.CharField(
        required=False,
        label="Leave this field empty",
        max_length=200,
        strip=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    url = WebAddressField(
        label="Website (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",  # "example.org" means https://example.org
        error_messages={"invalid": "Enter a web address starting with http:// or https://."},
        # Text, not type=url: browsers refuse "example.org" in a url input, which we accept.
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )

    class Meta:
        model = Comment
        fields = ["name", "email", "url", "text"]
        labels = {"text": "Comment"}
        help_texts = {
            "email": "Required, never shown.",
            "text": "Plain text; web addresses become links. Comments appear once approved.",
        }
        error_messages = {
            "name": {"required": "Please give a name (any name you like)."},
            "email": {
                "required": "Please give your email address; it is never shown.",
                "invalid": "Enter an email address like name@example.com.",
            },
            "text": {"required": "Please write your comment."},
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "text": forms.Textarea(attrs={"rows": 6, "cols": 60}),
        }

    @property
    def is_bot(self):
        """The honeypot has something in it: a person would not have seen the field."""
        return bool(self.data.get("subject"))


@cache
def blank_form_html():
    """The unbound form, rendered once per process: it is the same for every reader."""
    return CommentForm().render()
