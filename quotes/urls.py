from django.urls import path

from . import views

app_name = "quotes"

urlpatterns = [
    path("quotes/<int:pk>/", views.quotation_detail, name="quotation"),
    path("speakers/", views.speaker_list, name="speakers"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
]
