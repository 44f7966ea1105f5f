"""The panels hiring.dashboards adds to pages of the apps below it (accounts.registry):
the contract panel of both home pages and the reviews on an engineer's profile."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.models import Company, Membership
from candidates.models import Profile
from hiring.dashboards import selectors
from hiring.models import Side


def dashboard_panel(
    request: HttpRequest, *, company: Company, membership: Membership, **page: Any
) -> dict[str, Any]:
    """The employer's dashboard: the company's contracts, check-ins, milestones, payments."""
    zone = membership.working_day.time_zone
    return {"home": selectors.home(side=Side.COMPANY, zone=zone, company=company)}


def engineer_home_panel(request: HttpRequest, *, profile: Profile, **page: Any) -> dict[str, Any]:
    """The engineer's home: their contracts, check-ins, milestones and payments."""
    home = selectors.home(side=Side.ENGINEER, zone=profile.time_zone, user=request.user)  # type: ignore[arg-type]
    return {"home": home}


def profile_reviews_panel(
    request: HttpRequest, *, profile: Profile, preview: bool, **page: Any
) -> dict[str, Any]:
    """ "Reviews" on an engineer's profile: what companies published about their work."""
    summary = selectors.published_reviews(
        side=Side.COMPANY, profile=profile, limit=selectors.PROFILE_REVIEWS
    )
    return {"profile": profile, "preview": preview, "reviews": summary}
