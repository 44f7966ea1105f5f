from __future__ import annotations

from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "candidates"

    def ready(self) -> None:
        from accounts import registry
        from candidates import services, signals  # noqa: F401 - connects the receivers

        registry.personal_data_register(
            "candidates", export=services.profile_data_export, erase=services.profile_data_erase
        )
