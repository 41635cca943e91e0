"""One page type, as a Wagtail blog would write it: a post with readers' comments."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page


class BlogPostPage(Page):
    date = models.DateField("post date")
    intro = models.CharField(max_length=500, help_text="One or two sentences under the title.")
    author = models.CharField(max_length=100, help_text="Shown in the byline.")
    body = RichTextField(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote"],
        help_text="The post; quotations as blockquotes with their attribution.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("author"),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("comments", label="Comments"),
    ]


class PostComment(Orderable):
    page = ParentalKey(BlogPostPage, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(max_length=100, help_text="The reader's name.")
    posted_at = models.DateTimeField()
    text = models.TextField(help_text="Plain text; paragraphs separated by blank lines.")

    panels = [FieldPanel("name"), FieldPanel("posted_at"), FieldPanel("text")]

    def __str__(self):
        return f"{self.name} on {self.page}"
