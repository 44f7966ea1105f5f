from __future__ import annotations

from django.urls import path

from candidates import views

app_name = "candidates"

urlpatterns = [
    # The engineer's own profile (editing views are listed here as they are built).
    path("profile/preview/", views.preview, name="preview"),
    # What employers see.
    path("engineers/<int:pk>/", views.detail, name="detail"),
    path("engineers/<int:pk>/resume/", views.resume_download, name="resume_download"),
]
