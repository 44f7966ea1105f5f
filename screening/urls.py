from __future__ import annotations

from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path("briefs/<int:pk>/pipeline/", views.board, name="board"),
    path("briefs/<int:pk>/pipeline/add/", views.add, name="add"),
    path("briefs/<int:pk>/funnel/", views.brief_funnel, name="brief_funnel"),
    path("pipeline/", views.company_funnel, name="company_funnel"),
    path("pipeline/<int:pk>/", views.candidacy, name="candidacy"),
    path("pipeline/<int:pk>/move/", views.move, name="move"),
    path("pipeline/<int:pk>/review/", views.review, name="review"),
]
