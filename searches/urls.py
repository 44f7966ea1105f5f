from __future__ import annotations

from django.urls import path

from searches import views

app_name = "searches"

urlpatterns: list = [
    # Search results (lead): "browse" /search/ and "results" /briefs/<pk>/results/
    # are added here with searches/views.py's browse and results.
]

del path, views
