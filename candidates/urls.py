from __future__ import annotations

from django.urls import path

from candidates import views

app_name = "candidates"

urlpatterns = [
    # The engineer's own profile.
    path("profile/", views.me, name="me"),
    path("profile/about/", views.about, name="about"),
    path("profile/skills/", views.skills, name="skills"),
    path("profile/skills/<int:pk>/remove/", views.skill_remove, name="skill_remove"),
    path("profile/portfolio/", views.portfolio, name="portfolio"),
    path("profile/portfolio/<int:pk>/", views.portfolio_edit, name="portfolio_edit"),
    path("profile/portfolio/<int:pk>/remove/", views.portfolio_remove, name="portfolio_remove"),
    path("profile/experience/", views.experience, name="experience"),
    path("profile/experience/<int:pk>/", views.job_edit, name="job_edit"),
    path("profile/experience/<int:pk>/remove/", views.job_remove, name="job_remove"),
    path("profile/resume/", views.resume, name="resume"),
    path("profile/resume/remove/", views.resume_remove, name="resume_remove"),
    path("profile/submit/", views.submit, name="submit"),
    path("profile/visibility/", views.visibility, name="visibility"),
    path("profile/blocked/", views.blocked, name="blocked"),
    path("profile/blocked/<int:block_id>/remove/", views.unblock, name="unblock"),
    path("profile/access/", views.access, name="access"),
    path("profile/access/<int:pk>/withdraw/", views.access_withdraw, name="access_withdraw"),
    path("profile/export.json", views.export, name="export"),
    path("profile/delete/", views.delete, name="delete"),
    path("profile/preview/", views.preview, name="preview"),
    # What employers see.
    path("engineers/<int:pk>/", views.detail, name="detail"),
    path("engineers/<int:pk>/resume/", views.resume_download, name="resume_download"),
]
