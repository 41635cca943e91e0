from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from freshness.admin import FreshnessBatchMixin
from integrity.editors import warn_about_differences

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
    fields = [("kind", "placement", "timestamp"), "body"]
    verbose_name = "update or correction"
    verbose_name_plural = "updates and corrections (shown with their timestamps)"


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
class PostAdmin(FreshnessBatchMixin, admin.ModelAdmin):
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
        (None, {"fields": ["title", "body"]}),
        ("Quotations", {"fields": ["find_quotations", "quotation_codes"]}),
        (
            "Publishing",
            {"fields": [("status", "published_at"), "slug", "author", "excerpt", "tags"]},
        ),
        ("Discussion", {"fields": ["comments_open"]}),
    ]

    class Media:
        css = {"all": ["css/quotations.css", "css/editor.css"]}
        js = ["js/quotation-codes.js"]

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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        can_add = request.user.has_perm("quotes.add_quotation")
        form.base_fields["find_quotations"].widget = quotation_finder_widget(
            self.admin_site, can_add
        )
        return form

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
        quotations = post.quotations.with_attribution().order_by("pk") if post.pk else []
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
