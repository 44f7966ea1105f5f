from __future__ import annotations

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"

    def ready(self) -> None:
        from accounts import registry
        from screening import presenters

        registry.panel_register(
            "profile",
            name="screening:pipeline",
            template="screening/_profile_panel.html",
            context=presenters.profile_pipeline_panel,
        )
        registry.nav_register("employer", label="Pipeline", url_name="screening:company_funnel")
