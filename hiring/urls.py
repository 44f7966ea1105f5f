from __future__ import annotations

from django.urls import path

from hiring import views
from hiring.changes import views as changes
from hiring.checkins import views as checkins
from hiring.contracts import views as contracts
from hiring.dashboards import views as dashboards
from hiring.milestones import views as milestones
from hiring.reviews import views as reviews

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

# Contracts: drafting, the versions both sides accept, the printable copy.

C = "contracts/<int:pk>/"
urlpatterns += [
    path("pipeline/<int:pk>/contract/", contracts.contract_new, name="contract_new"),
    path("contracts/", contracts.contract_list, name="contract_list"),
    path(C, contracts.contract_detail, name="contract_detail"),
    path(C + "edit/", contracts.contract_edit, name="contract_edit"),
    path(C + "send/", contracts.contract_send, name="contract_send"),
    path(C + "withdraw/", contracts.contract_withdraw, name="contract_withdraw"),
    path(C + "v<int:number>/", contracts.version_print, name="version_print"),
    path(C + "v<int:number>/accept/", contracts.version_accept, name="version_accept"),
    path(C + "v<int:number>/decline/", contracts.version_decline, name="version_decline"),
    # Scope changes: change orders and the history of versions.
    path(C + "history/", changes.version_history, name="version_history"),
    path(C + "changes/new/", changes.change_new, name="change_new"),
    path(C + "changes/<int:change_pk>/", changes.change_detail, name="change_detail"),
    path(C + "changes/<int:change_pk>/accept/", changes.change_accept, name="change_accept"),
    path(C + "changes/<int:change_pk>/reject/", changes.change_reject, name="change_reject"),
    path(C + "changes/<int:change_pk>/counter/", changes.change_counter, name="change_counter"),
    path(C + "changes/<int:change_pk>/withdraw/", changes.change_withdraw, name="change_withdraw"),
    # Milestones and payments.
    path(C + "milestones/<str:key>/submit/", milestones.milestone_submit, name="milestone_submit"),
    path(C + "milestones/<str:key>/accept/", milestones.milestone_accept, name="milestone_accept"),
    path(
        C + "milestones/<str:key>/changes/", milestones.milestone_changes, name="milestone_changes"
    ),
    path(C + "payments/<int:payment_pk>/paid/", milestones.payment_paid, name="payment_paid"),
    path(
        C + "payments/<int:payment_pk>/confirm/", milestones.payment_confirm, name="payment_confirm"
    ),
    # Weekly check-ins and the weekly call.
    path(C + "check-ins/", checkins.checkin_list, name="checkin_list"),
    path(C + "check-ins/skip/", checkins.checkin_skip, name="checkin_skip"),
    path(C + "check-ins/<int:checkin_pk>/", checkins.checkin_detail, name="checkin_detail"),
    path(C + "check-ins/<int:checkin_pk>/answer/", checkins.checkin_answer, name="checkin_answer"),
    path(C + "check-ins/<int:checkin_pk>/reply/", checkins.checkin_reply, name="checkin_reply"),
    path(C + "call.ics", checkins.call_ics, name="call_ics"),
    # Ending, handover and reviews; the company page engineers see.
    path(C + "end/", reviews.contract_end, name="contract_end"),
    path(C + "handover/", reviews.handover_tick, name="handover_tick"),
    path(C + "review/", reviews.review_new, name="review_new"),
    path("reviews/<int:review_pk>/reply/", reviews.review_reply, name="review_reply"),
    path("reviews/<int:review_pk>/report/", reviews.review_report, name="review_report"),
    path("companies/<int:pk>/", dashboards.company_page, name="company_page"),
]
