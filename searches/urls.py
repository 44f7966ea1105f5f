from __future__ import annotations

from django.urls import path

from searches import views

app_name = "searches"

urlpatterns = [
    path("search/", views.browse, name="browse"),
    path("briefs/<int:pk>/results/", views.results, name="results"),
    path("alerts/unsubscribe/<str:token>/", views.alerts_unsubscribe, name="alerts_unsubscribe"),
    # Briefs and shortlists
    path("briefs/", views.brief_list, name="brief_list"),
    path("briefs/new/", views.brief_create, name="brief_create"),
    path("briefs/<int:pk>/", views.brief_detail, name="brief_detail"),
    path("briefs/<int:pk>/edit/", views.brief_edit, name="brief_edit"),
    path("briefs/<int:pk>/status/", views.brief_status, name="brief_status"),
    path("briefs/<int:pk>/shortlist/", views.shortlist, name="shortlist"),
    path(
        "briefs/<int:pk>/shortlist/<int:profile_pk>/",
        views.shortlist_toggle,
        name="shortlist_toggle",
    ),
    path(
        "briefs/<int:pk>/shortlist/<int:profile_pk>/note/",
        views.shortlist_note,
        name="shortlist_note",
    ),
]
