from __future__ import annotations

from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"

    def ready(self) -> None:
        from accounts.registry import nav_register
        from hiring import signals, tasks  # noqa: F401 - connects receivers, registers tasks
        from hiring.selectors import company_unread_threads

        # Messages: the employer's badge counts the company's threads with an unread reply.
        nav_register(
            "employer", label="Messages", url_name="hiring:inbox", count=company_unread_threads
        )
        nav_register("engineer", label="Messages", url_name="hiring:inbox")
