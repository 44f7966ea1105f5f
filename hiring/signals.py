"""hiring listens to the apps below it: pipeline moves and consent withdrawals."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from candidates.signals import consent_withdrawn
from hiring import services
from screening.signals import stage_changed


@receiver(stage_changed)
def tell_engineer_of_stage(sender: Any, candidacy: Any, move: Any, **kwargs: Any) -> None:
    services.on_stage_changed(candidacy=candidacy, move=move)


@receiver(consent_withdrawn)
def log_consent_withdrawal(sender: Any, profile: Any, company_id: int, **kwargs: Any) -> None:
    services.consent_withdrawn(profile=profile, company_id=company_id)
