from django.urls import path, re_path

from . import archives, feeds, views
from .comments import views as comment_views

app_name = "blog"

urlpatterns = [
    path("", views.index, name="index"),
    path("comments/<int:pk>/", comment_views.post_comment, name="comment"),
    path("comments/<int:pk>/posted/", comment_views.comment_posted, name="comment_posted"),
    path("feed.atom", feeds.PostsAtomFeed(), name="feed_atom"),
    path("feed.rss", feeds.PostsFeed(), name="feed_rss"),
    path("search/", views.search, name="search"),
    path("archive/", archives.archive_index, name="archive"),
    path("tags/", views.tag_list, name="tags"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("tags/<slug:slug>/feed.atom", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("tags/<slug:slug>/feed.rss", feeds.TagFeed(), name="tag_feed_rss"),
    re_path(r"^(?P<year>[0-9]{4})/$", archives.PostYearArchive.as_view(), name="year"),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        archives.PostMonthArchive.as_view(),
        name="month",
    ),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[-\w]+)/$",
        views.post_detail,
        name="post",
    ),
]
