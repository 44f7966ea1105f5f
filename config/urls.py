from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("candidates.urls")),
    path("", include("searches.urls")),
    path("", include("screening.urls")),
    path("", include("hiring.urls")),
]
# Uploads are never served as plain files, not even in development: resumes go
# through candidates.views.resume_download, which checks who is asking.
