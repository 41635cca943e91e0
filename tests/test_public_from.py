"""Each quotation's copy of when it became public (Quotation.public_from) follows its
citations through every change: publishing, scheduling, unpublishing, deleting a post,
quoting words inside an excerpt; and the upgrade fills it for every existing quotation."""

import datetime

from django.db import connection
from django.db.models import Min
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Citation, Post
from blog.rendering import render_post
from quotes.models import Quotation

WHEN = datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC)


def earliest_listed():
    """{quotation id: its earliest listed citation}, worked out from the citations."""
    listed = Citation.objects.filter(listed_at__isnull=False).values("quotation")
    return dict(listed.annotate(first=Min("listed_at")).values_list("quotation", "first"))


def assert_copies_agree():
    earliest = earliest_listed()
    copies = dict(Quotation.objects.values_list("pk", "public_from"))
    assert copies == {pk: earliest.get(pk) for pk in copies}


def test_publishing_scheduling_and_unpublishing_move_the_copy(make_quotation, make_post):
    quotation = make_quotation("Words.", is_public=False)
    post = make_post(f"[[quote:{quotation.pk}]]", status=Post.Status.DRAFT)
    quotation.refresh_from_db()
    assert quotation.public_from is None
    later = timezone.now() + datetime.timedelta(days=2)
    post.status, post.published_at = Post.Status.PUBLISHED, later
    post.save()
    quotation.refresh_from_db()
    assert quotation.public_from == later  # scheduled: public when the post appears
    assert not Quotation.objects.public().filter(pk=quotation.pk).exists()
    assert Quotation.objects.public(later).filter(pk=quotation.pk).exists()
    post.status = Post.Status.DRAFT
    post.save()
    quotation.refresh_from_db()
    assert quotation.public_from is None
    assert_copies_agree()


def test_the_earliest_of_several_citing_posts_counts(make_quotation, make_post):
    quotation = make_quotation("Words.", is_public=False)
    older = make_post(f"[[quote:{quotation.pk}]]", published_at=WHEN)
    make_post(f"[[quote:{quotation.pk}]]", published_at=WHEN + datetime.timedelta(days=9))
    quotation.refresh_from_db()
    assert quotation.public_from == WHEN
    older.delete()  # its citations go with it
    quotation.refresh_from_db()
    assert quotation.public_from == WHEN + datetime.timedelta(days=9)
    assert_copies_agree()


def test_deleting_the_only_citing_post_hides_the_quotation_again(make_quotation, make_post):
    quotation = make_quotation("Words.", is_public=False)
    post = make_post(f"[[quote:{quotation.pk}]]")
    assert Quotation.objects.public().filter(pk=quotation.pk).exists()
    Post.objects.filter(pk=post.pk).delete()  # a bulk delete, as the admin's action does
    quotation.refresh_from_db()
    assert quotation.public_from is None
    assert not Quotation.objects.public().filter(pk=quotation.pk).exists()


def test_words_inside_an_excerpt_get_the_excerpts_time(make_quotation, make_post):
    excerpt = make_quotation("The paper's long paragraph.", is_public=False)
    make_post(f"[[quote:{excerpt.pk}]]", published_at=WHEN)
    inner = make_quotation("long paragraph", within=excerpt, is_public=False)
    inner.refresh_from_db()
    assert inner.public_from == WHEN  # before any render of the post
    assert_copies_agree()


def test_a_render_that_changes_no_citation_writes_no_quotation(make_quotation, make_post):
    quotation = make_quotation("Words.", is_public=False)
    post = make_post(f"[[quote:{quotation.pk}]]")
    Post.objects.filter(pk=post.pk).update(rendered_with=0)
    with CaptureQueriesContext(connection) as captured:
        render_post(post.pk)
    written = [q["sql"] for q in captured if q["sql"].startswith('UPDATE "quotes_quotation"')]
    assert written == []
    assert Post.objects.get(pk=post.pk).rendered_with != 0  # it did render


def test_public_reads_the_quotations_own_row():
    sql = str(Quotation.objects.public().query)
    assert "blog_citation" not in sql and "EXISTS" not in sql and "JOIN" not in sql


def test_the_upgrade_copies_each_quotations_earliest_listed_citation(migrator):
    old = migrator.blog_at("0020_post_search_documents_own_table")
    user = old.get_model("auth", "User").objects.create(username="writer")
    source = old.get_model("quotes", "Source").objects.create(title="A letter", slug="a-letter")
    Quotation = old.get_model("quotes", "Quotation")
    twice, draft_only, uncited = (
        Quotation.objects.create(text=text, source=source) for text in ("a", "b", "c")
    )
    Post = old.get_model("blog", "Post")
    Citation = old.get_model("blog", "Citation")
    for n, (quotation, listed_at) in enumerate(
        [(twice, WHEN + datetime.timedelta(days=1)), (twice, WHEN), (draft_only, None)]
    ):
        post = Post.objects.create(title=f"P{n}", slug=f"p{n}", author=user)
        Citation.objects.create(post=post, quotation=quotation, listed_at=listed_at)

    new = migrator.blog_at("0021_quotations_public_from")
    copies = dict(new.get_model("quotes", "Quotation").objects.values_list("pk", "public_from"))
    assert copies == {twice.pk: WHEN, draft_only.pk: None, uncited.pk: None}
