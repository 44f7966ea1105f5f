from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and email"

    def ready(self) -> None:
        from accounts import registry, services

        registry.personal_data_register(
            "accounts", export=services.account_data_export, erase=services.account_data_erase
        )
