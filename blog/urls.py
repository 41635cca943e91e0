from django.urls import path, re_path

from . import views

app_name = "blog"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^(?P<year>[0-9]{4})/$", views.year_archive, name="year"),
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", views.month_archive, name="month"),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[-\w]+)/$",
        views.post_detail,
        name="post",
    ),
]
