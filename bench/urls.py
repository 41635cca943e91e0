from django.urls import path

from . import views

urlpatterns = [
    path("bench/bare/", views.bare, name="bench-bare"),
    path("bench/floor/", views.bare, name="bench-floor"),  # served without middleware
]
