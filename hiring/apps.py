from __future__ import annotations

from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"

    def ready(self) -> None:
        from hiring import signals, tasks  # noqa: F401 - connects receivers, registers tasks
