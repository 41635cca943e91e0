"""/quotes/, /speakers/, /sources/: under the "quotes" namespace, served by the blog app."""

from django.urls import path

from . import quotation_feeds as feeds
from . import quotation_pages as views

app_name = "quotes"

urlpatterns = [
    path("quotes/<int:pk>/", views.quotation_detail, name="quotation"),
    path("speakers/", views.speaker_list, name="speakers"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
    path("speakers/<slug:slug>/feed.atom", feeds.SpeakerAtomFeed(), name="speaker_feed_atom"),
    path("speakers/<slug:slug>/feed.rss", feeds.SpeakerFeed(), name="speaker_feed_rss"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("sources/<slug:slug>/feed.atom", feeds.SourceAtomFeed(), name="source_feed_atom"),
    path("sources/<slug:slug>/feed.rss", feeds.SourceFeed(), name="source_feed_rss"),
]
