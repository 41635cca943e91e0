from django.urls import path

from . import views

urlpatterns = [path("bench/bare/", views.bare, name="bench-bare")]
