from django.core.management.base import BaseCommand

from blog.models import Post
from ops.pagecache import bump_version


class Command(BaseCommand):
    help = (
        "Render every post's stored HTML again: after an upgrade that changed templates or "
        "the markup pipeline, or a change of BLOG_TITLE. --missing: only posts never rendered."
    )

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true")

    def handle(self, *args, missing, **options):
        posts = Post.objects.filter(article_html="") if missing else Post.objects.all()
        count = 0
        for post in posts.iterator(chunk_size=200):
            post.rerender_all()
            count += 1
        bump_version()
        self.stdout.write(f"Rendered {count} posts again.")
