"""What check-ins do when a contract starts, changes or ends: the weekly call goes to
both sides' calendars (hiring.contracts.events; imported from hiring.apps.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from hiring.checkins import services
from hiring.contracts import events
from hiring.models import Contract, ContractVersion


@receiver(events.contract_started, dispatch_uid="hiring.checkins.call_on_start")
def _contract_started(sender: Any, *, contract: Contract, **kwargs: Any) -> None:
    services.call_started(contract=contract)


@receiver(events.version_in_force, dispatch_uid="hiring.checkins.call_on_version")
def _version_in_force(
    sender: Any,
    *,
    contract: Contract,
    version: ContractVersion,
    previous: ContractVersion | None = None,
    **kwargs: Any,
) -> None:
    services.call_changed(contract=contract, version=version, previous=previous)


@receiver(events.contract_ended, dispatch_uid="hiring.checkins.call_on_end")
def _contract_ended(sender: Any, *, contract: Contract, **kwargs: Any) -> None:
    services.call_ended(contract=contract)
