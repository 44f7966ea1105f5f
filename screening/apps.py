from __future__ import annotations

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"

    def ready(self) -> None:
        from accounts import registry
        from screening import presenters, services

        registry.panel_register(
            "profile",
            name="screening:pipeline",
            template="screening/_profile_panel.html",
            context=presenters.profile_pipeline_panel,
        )
        registry.nav_register("employer", label="Pipeline", url_name="screening:company_funnel")
        registry.personal_data_register(
            "screening", export=services.person_data_export, erase=services.person_data_erase
        )
