from django.urls import path

from . import views

app_name = "integrity"

urlpatterns = [
    path("archive/<int:pk>/", views.archived, name="archived"),
    path("archive/<int:pk>/original", views.archived_original, name="archived_original"),
]
