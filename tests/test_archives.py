"""Year and month archives and the archive page: the blog's time zone, paging, bounded queries.

TIME_ZONE is America/New_York in tests (the default). Each time-zone test pins the clock
with time-machine at a local moment, publishes a post "now", and checks where it is filed,
so the tests pass whatever the wall-clock time.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog import archives
from blog.archives import PostMonthArchive

from .paging import pages

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def local(*args, fold=0):
    return datetime.datetime(*args, tzinfo=NEW_YORK).replace(fold=fold)


def month_url(day):
    return reverse("blog:month", args=[f"{day.year}", f"{day.month:02d}"])


def year_url(day):
    return reverse("blog:year", args=[f"{day.year}"])


EDGES = {
    # local moment: the local day it is filed under
    "23:30 on March 31 (04:30 UTC, April 1)": (local(2025, 3, 31, 23, 30), (2025, 3, 31)),
    "00:30 on April 1 (04:30 UTC, April 1)": (local(2025, 4, 1, 0, 30), (2025, 4, 1)),
    "20:00 on April 30, which is midnight UTC": (local(2025, 4, 30, 20, 0), (2025, 4, 30)),
    "19:59 on April 30, just before midnight UTC": (local(2025, 4, 30, 19, 59), (2025, 4, 30)),
    "01:30 EST before clocks spring forward": (local(2025, 3, 9, 1, 30), (2025, 3, 9)),
    "03:30 EDT after clocks spring forward": (local(2025, 3, 9, 3, 30), (2025, 3, 9)),
    "23:30 the night clocks spring forward": (local(2025, 3, 8, 23, 30), (2025, 3, 8)),
    "01:30 EDT, the first of two, in the fall": (local(2025, 11, 2, 1, 30), (2025, 11, 2)),
    "01:30 EST, the second of two, in the fall": (local(2025, 11, 2, 1, 30, fold=1), (2025, 11, 2)),
    "23:30 on October 31 before clocks fall back": (local(2025, 10, 31, 23, 30), (2025, 10, 31)),
    "23:30 on New Year's Eve (04:30 UTC, January 1)": (local(2025, 12, 31, 23, 30), (2025, 12, 31)),
    "00:30 on New Year's Day": (local(2026, 1, 1, 0, 30), (2026, 1, 1)),
}


@pytest.mark.parametrize("moment, day", EDGES.values(), ids=EDGES.keys())
def test_a_post_is_filed_under_its_day_in_the_blogs_time_zone(client, make_post, moment, day):
    day = datetime.date(*day)
    with time_machine.travel(moment, tick=False):
        post = make_post(title="Edge post", published_at=datetime.datetime.now(datetime.UTC))
        assert post.published_on == day
        assert post.get_absolute_url().startswith(f"/{day:%Y/%m/%d}/")
        month = client.get(month_url(day)).content.decode()
        assert "Edge post" in month and f"{day:%A, %B} {day.day}" in month
        year = client.get(year_url(day)).content.decode()
        assert f'{day:%B %Y}</a> <span class="count">1 post<' in year
        index = client.get(reverse("blog:archive")).content.decode()
        assert f'href="{month_url(day)}">{day:%B}</a> <span class="count">1 post<' in index
        # The neighbouring month (and year, at New Year) in UTC has nothing of it.
        utc_day = moment.astimezone(datetime.UTC).date()
        if (utc_day.year, utc_day.month) != (day.year, day.month):
            assert client.get(month_url(utc_day)).status_code == 404
        if utc_day.year != day.year:
            assert client.get(year_url(utc_day)).status_code == 404


def test_the_month_pager_reaches_the_oldest_post(client, make_post, monkeypatch):
    monkeypatch.setattr(PostMonthArchive, "paginate_by", 3)
    posts = [
        make_post(title=f"March story {n:02d}", published_at=local(2025, 3, 1 + n, 12))
        for n in range(8)
    ]
    seen = pages(client, month_url(datetime.date(2025, 3, 1)))
    assert len(seen) == 3
    listed = re.findall(r"March story \d\d", "".join(html for _, html in seen))
    assert listed == [post.title for post in reversed(posts)]  # newest first, none lost
    assert "March story 00" in seen[-1][1]
    assert "Page 3 of 3" in seen[-1][1]


def test_a_month_links_the_nearest_months_with_public_posts_in_local_time(client, make_post):
    make_post(title="Late January", published_at=local(2025, 1, 31, 23, 30))  # Feb 1 in UTC
    make_post(title="A draft", status="draft", published_at=local(2025, 3, 5, 12))
    make_post(title="May Day", published_at=local(2025, 5, 1, 0, 30))
    make_post(title="Not yet", published_at=datetime.datetime.now(datetime.UTC).replace(year=2100))
    may = client.get(month_url(datetime.date(2025, 5, 1))).content.decode()
    january = month_url(datetime.date(2025, 1, 1))
    assert f'<a class="pager-older" href="{january}">January 2025 →</a>' in may
    assert "pager-newer" not in may  # the scheduled post's month is not linked before its time
    html = client.get(january).content.decode()
    assert f'href="{month_url(datetime.date(2025, 5, 1))}">← May 2025</a>' in html
    assert "Late January" in html and "pager-older" not in html
    # Only a draft in March, nothing at all in April: neither has a page.
    assert client.get(month_url(datetime.date(2025, 3, 1))).status_code == 404
    assert client.get(month_url(datetime.date(2025, 4, 1))).status_code == 404
    assert client.get(year_url(datetime.date(2025, 1, 1))).status_code == 200


def test_the_year_page_links_each_month_with_a_count_and_the_years_around(client, make_post):
    make_post(title="One", published_at=local(2024, 6, 1, 9))
    make_post(title="Two", published_at=local(2025, 2, 1, 9))
    make_post(title="Three", published_at=local(2025, 2, 3, 9))
    make_post(title="Four", published_at=local(2025, 7, 4, 9))
    html = client.get(year_url(datetime.date(2025, 1, 1))).content.decode()
    assert "3 posts, by month." in html
    assert f'<a href="{month_url(datetime.date(2025, 2, 1))}">February 2025</a>' in html
    assert '<span class="count">2 posts</span>' in html
    assert '<span class="count">1 post</span>' in html
    assert f'<a rel="next" href="{year_url(datetime.date(2024, 1, 1))}">2024 →</a>' in html
    assert 'rel="prev"' not in html  # no newer year with posts
    assert client.get(year_url(datetime.date(2023, 1, 1))).status_code == 404


def test_the_archive_page_pages_by_years_and_reaches_the_oldest(client, make_post, monkeypatch):
    monkeypatch.setattr(archives, "YEARS_PER_PAGE", 2)
    for year in [2009, 2012, 2013, 2020, 2025]:
        make_post(title=f"From {year}", published_at=local(year, 5, 5, 12))
    seen = pages(client, reverse("blog:archive"))
    years = [re.findall(r'<h2 id="year-(\d{4})"', html) for _, html in seen]
    assert years == [["2025"], ["2020"], ["2013", "2012"], ["2009"]]
    assert seen[1][0] == reverse("blog:archive") + "?before=2024"
    assert client.get(reverse("blog:archive") + "?before=2009").status_code == 404
    assert client.get(reverse("blog:archive") + "?before=x").status_code == 404


def test_every_page_links_to_the_archive(client, make_post):
    post = make_post()
    for url in ["/", post.get_absolute_url(), reverse("blog:tags"), reverse("blog:archive")]:
        assert (
            f'<a href="{reverse("blog:archive")}">Archive</a>' in client.get(url).content.decode()
        )


def test_drafts_and_scheduled_posts_are_not_counted(client, make_post):
    make_post(title="Public", published_at=local(2025, 5, 5, 12))
    make_post(title="Draft", status="draft", published_at=local(2025, 5, 6, 12))
    make_post(title="Later", published_at=datetime.datetime.now(datetime.UTC).replace(year=2100))
    index = client.get(reverse("blog:archive")).content.decode()
    assert "2100" not in index and '<span class="count">1 post</span>' in index
    month = client.get(month_url(datetime.date(2025, 5, 1))).content.decode()
    assert "Public" in month and "Draft" not in month
    assert client.get(year_url(datetime.date(2100, 1, 1))).status_code == 404


@pytest.mark.parametrize("url", ["/2025/", "/2025/03/", "/archive/"])
def test_archive_queries_do_not_grow_with_posts(
    client, make_post, url, django_assert_num_queries, uncached
):
    def counted():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for n in range(3):
        make_post(published_at=local(2025, 3, 2 + n, 12))
    few = counted()
    for n in range(6):
        make_post(published_at=local(2025, 3, 10 + n, 12))
    make_post(published_at=local(2024, 3, 10, 12))
    with django_assert_num_queries(few):
        client.get(url)
    assert few <= 4  # month: count, page, the months before and after
