"""Selectors of hiring.dashboards."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from hiring.models import Contract


def contract_panel(*, contract: Contract, side: str, user: User) -> dict[str, Any]:
    """What this part adds to the contract page's context (shown by its _contract_panel.html)."""
    return {}
