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
    # Each citation's copies (written with it, so rendering has none to fix) are right.
    copies = (
        "from django.db.models import F, Q; from blog.models import Citation;"
        "print(Citation.objects.count(), Citation.objects.exclude("
        " Q(speaker=F('quotation__speaker')) | Q(speaker=None, quotation__speaker=None)).count(),"
        " Citation.objects.exclude(source=F('quotation__source')).count(),"
        " Citation.objects.exclude(listed_at=F('post__published_at')).count())"
    )
    citations, *wrong = map(int, manage(env, "shell", "-c", copies).stdout.split()[-4:])
    assert citations >= 40 * 8 and wrong == [0, 0, 0]
    # And each quotation's copy of its earliest listed citation (Quotation.public_from).
    public_from = (
        "from django.db.models import Min; from quotes.models import Quotation;"
        "rows = Quotation.objects.annotate(first=Min('citation__listed_at'));"
        "print(rows.count(), sum(q.public_from != q.first for q in rows),"
        " rows.filter(public_from=None).count())"
    )
    quotations, differing, never = map(
        int, manage(env, "shell", "-c", public_from).stdout.split()[-3:]
    )
    assert quotations >= 40 * 3 and (differing, never) == (0, 0)


def test_compare_puts_two_runs_side_by_side(tmp_path):
    from bench.compare import side_by_side

    head = "| page | mode | req/s | p50 ms | SQL queries | x bare view |\n"
    head += "|---|---|---:|---:|---:|---:|\n"
    (tmp_path / "a.md").write_text(
        "# Run\n\n" + head + "| post page | uncached | 1,472 | 10.7 | 1 | 0.28 |\n"
        "| search | uncached | 97 | 161.2 | 5 | 0.02 |\n\nWhile approving:\n\n"
        "| page | req/s |\n|---|---:|\n| post page | 3 |\n"
    )
    (tmp_path / "b.md").write_text(head + "| post page | uncached | 1,400 | 11.0 | 1 | 0.27 |\n")
    lines = side_by_side(tmp_path / "a.md", tmp_path / "b.md").splitlines()
    assert lines[2].startswith("| post page | uncached | 1 | 1 | 1,472 | 1,400 | 10.7 | 11.0 |")
    assert lines[3].startswith("| search | uncached | 5 |  | 97 |  |")
    assert len(lines) == 4  # the second table of a file is not part of it
