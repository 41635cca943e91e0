"""The benchmark's data generator writes what editors would and renders it with the site's code."""

from tests.tools import manage, site_env


def test_gendata_renders_every_row_with_the_real_renderers(tmp_path):
    env = site_env(tmp_path / "bench.sqlite3")
    manage(env, "migrate", "--noinput")
    manage(env, "gendata", "--posts", "40", "--workers", "2")
    check = (
        "from blog.models import Post, RENDER_VERSION; from quotes.models import Quotation;"
        "post = Post.objects.order_by('pk').first();"
        "print(Post.objects.exclude(rendered_with=RENDER_VERSION).count(),"
        " Quotation.objects.filter(rendered_with=0).count(),"
        " post.article_html.count('<figure class=\"quotation\"'), post.comment_count,"
        " post.quotations.count())"
    )
    stale_posts, stale_quotations, blocks, comments, cited = map(
        int, manage(env, "shell", "-c", check).stdout.split()[-5:]
    )
    assert (stale_posts, stale_quotations) == (0, 0)
    assert blocks >= 5 and comments == 30 and cited >= 8
