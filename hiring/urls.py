from __future__ import annotations

from django.urls import path

from hiring import views

app_name = "hiring"

urlpatterns = [
    # The employer side of outreach.
    path("pipeline/<int:pk>/outreach/", views.outreach_new, name="outreach_new"),
    path("outreach/<int:pk>/withdraw/", views.outreach_withdraw, name="outreach_withdraw"),
    path("outreach/templates/", views.template_list, name="template_list"),
    path("outreach/templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("outreach/templates/<int:pk>/delete/", views.template_delete, name="template_delete"),
    # The engineer side.
    path("opportunities/", views.opportunities, name="opportunities"),
    path("opportunities/<int:pk>/", views.opportunity, name="opportunity"),
    path("opportunities/<int:pk>/accept/", views.accept, name="accept"),
    path("opportunities/<int:pk>/decline/", views.decline, name="decline"),
    path("opportunities/<int:pk>/reply/", views.reply, name="reply"),
    path("opportunities/<int:pk>/step-back/", views.step_back, name="step_back"),
    path("opportunities/<int:pk>/report/", views.report_outreach, name="report_outreach"),
    # One thread per company and engineer, for both sides.
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:pk>/", views.thread, name="thread"),
    path("messages/<int:pk>/report/<int:message_pk>/", views.report_message, name="report_message"),
]
