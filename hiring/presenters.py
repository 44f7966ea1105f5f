"""What hiring shows on pages owned by the apps below it (through accounts.registry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hiring import selectors
from screening.models import Candidacy


def candidacy_outreach_panel(
    request: HttpRequest, *, candidacy: Candidacy, **page: Any
) -> dict[str, Any] | None:
    """The candidacy page's outreach box: every outreach sent for it, newest first.
    Left out while none was sent (the page's "Reach out" action covers that)."""
    outreach = list(selectors.candidacy_outreach(candidacy))
    if not outreach:
        return None
    return {"candidacy": candidacy, "outreach_list": outreach}
