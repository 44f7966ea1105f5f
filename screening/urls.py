from __future__ import annotations

from django.urls import path

from screening.views import assessments, bank, interviews, pipeline, scorecards

app_name = "screening"

urlpatterns = [
    # The pipeline
    path("briefs/<int:pk>/pipeline/", pipeline.board, name="board"),
    path("briefs/<int:pk>/pipeline/add/", pipeline.add, name="add"),
    path("briefs/<int:pk>/funnel/", pipeline.brief_funnel, name="brief_funnel"),
    path("pipeline/", pipeline.company_funnel, name="company_funnel"),
    path("pipeline/<int:pk>/", pipeline.candidacy, name="candidacy"),
    path("pipeline/<int:pk>/move/", pipeline.move, name="move"),
    path("pipeline/<int:pk>/review/", pipeline.review, name="review"),
    # Assessments: the company's templates, sending one, grading, the engineer's side
    path("assessments/templates/", assessments.template_list, name="assessment_templates"),
    path("assessments/templates/new/", assessments.template_new, name="assessment_template_new"),
    path(
        "assessments/templates/<int:pk>/",
        assessments.template_edit,
        name="assessment_template_edit",
    ),
    path(
        "assessments/templates/<int:pk>/archive/",
        assessments.template_archive,
        name="assessment_template_archive",
    ),
    path("pipeline/<int:pk>/assessment/", assessments.send, name="assessment_send"),
    path("assessments/<int:pk>/", assessments.detail, name="assessment"),
    path("assessments/<int:pk>/graders/", assessments.graders, name="assessment_graders"),
    path(
        "assessments/<int:pk>/extension/",
        assessments.extension_answer,
        name="assessment_extension_answer",
    ),
    path("assessments/<int:pk>/withdraw/", assessments.withdraw, name="assessment_withdraw"),
    path("assessments/<int:pk>/grade/", assessments.grade, name="assessment_grade"),
    path("my/assessments/<int:pk>/", assessments.engineer_detail, name="my_assessment"),
    path(
        "my/assessments/<int:pk>/submit/", assessments.engineer_submit, name="my_assessment_submit"
    ),
    path(
        "my/assessments/<int:pk>/extension/",
        assessments.engineer_extension,
        name="my_assessment_extension",
    ),
    # The question bank and interview kits
    path("questions/", bank.question_list, name="questions"),
    path("questions/<int:pk>/", bank.question_edit, name="question_edit"),
    path("questions/<int:pk>/archive/", bank.question_archive, name="question_archive"),
    path("kits/", bank.kit_list, name="kits"),
    path("kits/new/", bank.kit_new, name="kit_new"),
    path("kits/<int:pk>/", bank.kit_edit, name="kit_edit"),
    path("kits/<int:pk>/archive/", bank.kit_archive, name="kit_archive"),
    path("briefs/<int:pk>/kits/", bank.brief_kits, name="brief_kits"),
    # Interviews: scheduling, the booked interview, the engineer's side, the calendar file
    path("pipeline/<int:pk>/interview/", interviews.schedule, name="interview_schedule"),
    path("interviews/<int:pk>/", interviews.detail, name="interview"),
    path("interviews/<int:pk>/reoffer/", interviews.reoffer, name="interview_reoffer"),
    path("interviews/<int:pk>/cancel/", interviews.cancel, name="interview_cancel"),
    path("interviews/<int:pk>/no-show/", interviews.no_show, name="interview_no_show"),
    path("interviews/<int:pk>/invite.ics", interviews.ics, name="interview_ics"),
    path("my/interviews/<int:pk>/", interviews.engineer_detail, name="my_interview"),
    path("my/interviews/<int:pk>/pick/", interviews.engineer_pick, name="my_interview_pick"),
    path("my/interviews/<int:pk>/others/", interviews.engineer_others, name="my_interview_others"),
    path("my/interviews/<int:pk>/cancel/", interviews.engineer_cancel, name="my_interview_cancel"),
    path("my/interviews/<int:pk>/invite.ics", interviews.engineer_ics, name="my_interview_ics"),
    # Scorecards
    path("interviews/<int:pk>/scorecard/", scorecards.scorecard, name="scorecard"),
    path("pipeline/<int:pk>/scorecards/", scorecards.summary, name="scorecards"),
]
