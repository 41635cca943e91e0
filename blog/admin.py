from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from freshness.admin import FreshnessBatchMixin
from integrity.editors import warn_about_differences
from revisions.admin import RevisionsAdminMixin, revisions_page

from .big_fields import POST_BIG_FIELDS
from .comments import admin as comment_admin  # noqa: F401 - registers the moderation queue
from .forms import PostAdminForm, UpdateFormSet, UpdateInlineForm, quotation_finder_widget
from .models import Post, Tag, Update

# Who may pick a post's author (superusers have it too); others sign their own posts.
AUTHOR_PERMISSION = "blog.sign_as_other_author"


class UpdateInline(admin.StackedInline):
    model = Update
    form = UpdateInlineForm
    formset = UpdateFormSet
    extra = 0
    fields = [("kind", "placement", "timestamp"), "body", "wordings"]
    readonly_fields = ["wordings"]
    verbose_name = "update or correction"
    verbose_name_plural = "updates and corrections (shown with their timestamps)"

    @admin.display(description="earlier wordings")
    def wordings(self, update):
        if not update.pk:
            return "Kept from the first save on."
        url = reverse("admin:blog_post_update_history", args=[update.post_id, update.pk])
        when = update.changed_at and timezone.localtime(update.changed_at)
        changed = f"changed {when:%Y-%m-%d %H:%M}, " if when else ""
        return format_html('{}<a href="{}">revisions, diff and restore</a>', changed, url)


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "draft":
            return queryset.filter(status=Post.Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.filter(status=Post.Status.PUBLISHED, published_at__gt=now)
        if self.value() == "published":
            return queryset.published()
        return queryset


class PostChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list shows titles and dates: the bodies and stored pages stay in the database.
        return super().get_queryset(request, exclude_parameters).defer(*POST_BIG_FIELDS)


@admin.register(Post)
class PostAdmin(RevisionsAdminMixin, FreshnessBatchMixin, admin.ModelAdmin):
    form = PostAdminForm
    inlines = [UpdateInline]
    list_display = ["title", "state", "published_at", "author", "update_count"]
    list_filter = [StateFilter, "tags", "author"]
    search_fields = ["title", "body"]
    # The local day (stored, indexed): no per-row time zone conversion to list the dates.
    date_hierarchy = "published_on"
    show_full_result_count = False  # one COUNT a page, not two
    filter_horizontal = ["tags"]
    readonly_fields = ["quotation_codes"]
    fieldsets = [
        (None, {"fields": ["title", "body", "based_on"]}),
        ("Quotations", {"fields": ["find_quotations", "quotation_codes"]}),
        (
            "Publishing",
            {"fields": [("status", "published_at"), "slug", "author", "excerpt", "tags"]},
        ),
        ("Discussion", {"fields": ["comments_open"]}),
    ]

    class Media:
        css = {"all": ["css/quotations.css", "css/editor.css"]}
        js = ["js/quotation-codes.js", "js/post-editor.js"]

    def get_queryset(self, request):
        # A subquery, not a JOIN + GROUP BY: the changelist's COUNT then leaves it out.
        updates = Update.objects.filter(post=OuterRef("pk")).order_by().values("post")
        updates = Subquery(updates.annotate(n=Count("pk")).values("n"))
        return (
            super()
            .get_queryset(request)
            .select_related("author")
            .annotate(update_total=Coalesce(updates, 0))
        )

    def get_changelist(self, request, **kwargs):
        return PostChangeList

    def get_urls(self):
        history = self.admin_site.admin_view(self.update_history_view)
        return [
            path("<int:post_id>/updates/<int:pk>/history/", history,
                 name="blog_post_update_history"),
            *super().get_urls(),
        ]  # fmt: skip

    def update_history_view(self, request, post_id, pk):
        """The revisions of one update or correction: its earlier wordings stay visible."""
        update = get_object_or_404(Update.objects.select_related("post"), pk=pk, post_id=post_id)
        if not self.has_view_or_change_permission(request, update.post):
            raise PermissionDenied
        back = reverse("admin:blog_post_change", args=[post_id])
        return revisions_page(
            request, self, update, title=f"Revisions of the {update} on “{update.post}”",
            back_url=back, owner=update.post,
        )  # fmt: skip

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        can_add = request.user.has_perm("quotes.add_quotation")
        form.base_fields["find_quotations"].widget = quotation_finder_widget(
            self.admin_site, can_add
        )
        form.current_user = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.get_full_name().strip():
            return fieldsets
        byline = (
            "Your byline",
            {
                "fields": ["byline_name"],
                "description": "Posts are signed with a name, never a login name.",
            },
        )
        return [*fieldsets, byline]

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def get_readonly_fields(self, request, obj=None):
        # The author is whoever writes the post, unless one may sign for others.
        if request.user.has_perm(AUTHOR_PERMISSION):
            return self.readonly_fields
        return [*self.readonly_fields, "author"]

    def save_model(self, request, obj, form, change):
        if not change and not request.user.has_perm(AUTHOR_PERMISSION):
            obj.author = request.user
        name = form.cleaned_data.get("byline_name", "").strip()
        if name and obj.author_id == request.user.pk and not request.user.get_full_name():
            # One field for the whole name: get_full_name() joins first and last.
            request.user.first_name = name[:150]
            request.user.save(update_fields=["first_name"])
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_about_differences(request, form.instance)

    @admin.display(description="state")
    def state(self, post):
        return post.state

    @admin.display(description="updates", ordering="update_total")
    def update_count(self, post):
        return post.update_total

    @admin.display(description="codes of the quotations this post cites")
    def quotation_codes(self, post):
        if not post.pk:
            return "Pick or add quotations above: each one shows its codes there to insert."
        quotations = post.quotations.with_attribution().order_by("pk")
        rows = [(q.pk, q.pk, str(q)) for q in quotations]
        if not rows:
            return "None yet. Pick or add a quotation above; its codes appear here."
        return format_html(
            '<ul class="quotation-codes">{}</ul>',
            format_html_join(
                "", "<li><code>[[quote:{}]]</code> <code>[[q:{}]]</code> {}</li>", rows
            ),
        )


@admin.register(Tag)
class TagAdmin(FreshnessBatchMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
