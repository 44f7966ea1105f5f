from __future__ import annotations

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"

    def ready(self) -> None:
        from accounts import registry
        from screening import presenters, services, tasks  # noqa: F401 - registers the tasks
        from screening.registry import card_action_register
        from screening.views import assessments, interviews, scorecards

        registry.panel_register(
            "profile",
            name="screening:pipeline",
            template="screening/_profile_panel.html",
            context=presenters.profile_pipeline_panel,
        )
        registry.nav_register("employer", label="Pipeline", url_name="screening:company_funnel")
        for name, view in (
            ("assessments", assessments),
            ("interviews", interviews),
            ("scorecards", scorecards),
        ):
            registry.panel_register(
                "candidacy",
                name=f"screening:{name}",
                template=f"screening/_candidacy_{name}.html",
                context=view.candidacy_panel,
            )
        card_action_register(
            stage="interested", label="Send an assessment", url_name="screening:assessment_send"
        )
        for stage in ("interested", "assessment", "interview"):
            card_action_register(
                stage=stage, label="Schedule an interview", url_name="screening:interview_schedule"
            )
        registry.personal_data_register(
            "screening", export=services.person_data_export, erase=services.person_data_erase
        )
