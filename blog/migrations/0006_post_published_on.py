from django.db import migrations, models
from django.utils import timezone


def fill_local_dates(apps, schema_editor):
    """Each post's day in the blog's time zone; a second post with its slug that day gets -2."""
    Post = apps.get_model("blog", "Post")
    zone = timezone.get_default_timezone()
    taken = set()
    for post in Post.objects.order_by("published_at", "pk").only("slug", "published_at"):
        day = timezone.localtime(post.published_at, zone).date()
        slug, n = post.slug, 2
        while (slug, day) in taken:
            slug, n = f"{post.slug[:190]}-{n}", n + 1
        taken.add((slug, day))
        Post.objects.filter(pk=post.pk).update(published_on=day, slug=slug)


class Migration(migrations.Migration):
    dependencies = [("blog", "0005_search_document")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="published_on",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="post",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="The last part of the address. Leave blank to make one from the "
                "title. Unique among the posts of its publication day.",
                max_length=200,
            ),
        ),
        migrations.RunPython(fill_local_dates, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="post",
            constraint=models.UniqueConstraint(
                fields=("slug", "published_on"),
                name="post_slug_unique_per_local_day",
                violation_error_message="Another post published that day has this slug.",
            ),
        ),
    ]
