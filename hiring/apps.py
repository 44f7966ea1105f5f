from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"

    def ready(self) -> None:
        from accounts import registry
        from hiring import presenters, services, signals, tasks  # noqa: F401 - connects receivers, registers tasks
        from hiring.selectors import company_unread_threads
        from screening.registry import card_action_register

        card_action_register(stage="sourced", label="Reach out", url_name="hiring:outreach_new")
        registry.panel_register(
            "candidacy",
            name="hiring:outreach",
            template="hiring/_candidacy_outreach.html",
            context=presenters.candidacy_outreach_panel,
        )
        registry.nav_register(
            "engineer",
            label="Opportunities",
            url_name="hiring:opportunities",
            count=services.engineer_unread,
        )
        # Messages: the employer's badge counts the company's threads with an unread reply.
        registry.nav_register(
            "employer", label="Messages", url_name="hiring:inbox", count=company_unread_threads
        )
        registry.nav_register("engineer", label="Messages", url_name="hiring:inbox")
        # Check-ins: the weekly call follows the contract's start, versions and end.
        from hiring.checkins import receivers  # noqa: F401

        # Dashboards: contracts on both home pages, reviews on the engineer's profile,
        # accepted contract rates in a brief's rate chart.
        from hiring.dashboards import presenters as dashboards
        from hiring.dashboards.rates import accepted_rates
        from searches.registry import accepted_rates_register

        for page, context in (
            ("dashboard", dashboards.dashboard_panel),
            ("engineer_home", dashboards.engineer_home_panel),
        ):
            registry.panel_register(
                page,
                name="hiring:contracts",
                template="hiring/dashboards/_home.html",
                context=context,
            )
        registry.panel_register(
            "profile_reviews",
            name="hiring:reviews",
            template="hiring/dashboards/_profile_reviews.html",
            context=dashboards.profile_reviews_panel,
        )
        accepted_rates_register("hiring:contracts", accepted_rates)

        # Contracts (issue 12): drafted from an Offer card; a Hired card leads to its contract.
        from hiring.contracts import selectors as contracts
        from hiring.contracts import services as contract_services  # connects on_card_closed

        card_action_register(
            stage="offer", label="Draft the contract", url_name="hiring:contract_new"
        )
        card_action_register(
            stage="hired", label="Open the contract", url_name="hiring:contract_new"
        )
        registry.panel_register(
            "candidacy",
            name="hiring:contract",
            template="hiring/contracts/_candidacy_contract.html",
            context=contracts.candidacy_contract_panel,
        )
        registry.nav_register("employer", label="Contracts", url_name="hiring:contract_list")
        registry.nav_register("engineer", label="Contracts", url_name="hiring:contract_list")

        from hiring.checkins import services as checkin_services
        from hiring.reviews import services as review_services

        def export(user: Any) -> dict[str, Any]:
            # hiring's one part of a person's data: outreach and threads, then contracts,
            # their check-ins and the reviews written.
            return {
                **services.person_data_export(user),
                **contract_services.person_data_export(user),
                **checkin_services.person_data_export(user),
                **review_services.person_data_export(user),
            }

        registry.personal_data_register("hiring", export=export, erase=services.person_data_erase)
