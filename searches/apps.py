from __future__ import annotations

from django.apps import AppConfig


class SearchesConfig(AppConfig):
    name = "searches"

    def ready(self) -> None:
        from accounts import registry
        from searches import presenters, services, signals  # noqa: F401 - signals connects

        registry.personal_data_register(
            "searches", export=services.person_data_export, erase=services.person_data_erase
        )
        registry.panel_register(
            "dashboard",
            name="searches:briefs",
            template="searches/_dashboard_briefs.html",
            context=presenters.dashboard_panel,
        )
        registry.panel_register(
            "profile",
            name="searches:shortlist",
            template="searches/_profile_shortlist.html",
            context=presenters.profile_shortlist_panel,
        )
