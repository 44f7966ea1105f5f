"""Fixtures of the hiring tests. Each helper's fixtures carry its prefix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

# Outreach -----------------------------------------------------------------------------


@pytest.fixture
def outreach_profile(engineer: Any) -> Any:
    """The ``engineer`` fixture's approved, listed profile."""
    from candidates.models import Profile
    from tests.factories import ProfileFactory

    return Profile.objects.filter(user=engineer).first() or ProfileFactory(
        user=engineer, status="approved"
    )


@pytest.fixture
def outreach_candidacy(owner: Any, outreach_profile: Any) -> Any:
    """The engineer in Sourced on a brief of the owner's company."""
    from tests.factories import BriefFactory, candidacy_in

    brief = BriefFactory(
        company=owner.membership.company, created_by=owner, title="Payments backend"
    )
    return candidacy_in(brief, outreach_profile, user=owner)


@pytest.fixture
def outreach_waiting(outreach_candidacy: Any, owner: Any) -> Any:
    """An outreach from the owner to the engineer, waiting for an answer."""
    from tests.factories import outreach_sent

    return outreach_sent(outreach_candidacy, sender=owner, message="We liked your ledger work.")


@pytest.fixture
def outreach_form_data() -> Callable[..., dict[str, str]]:
    """The outreach form as a browser posts it: valid terms changed by ``overrides``;
    a value of None leaves the field out (an unticked box)."""
    from tests.factories import outreach_terms

    def build(**overrides: Any) -> dict[str, str]:
        values: dict[str, Any] = {**outreach_terms(), "message": "Hello {first_name}"}
        values.update(overrides)
        data = {}
        for name, value in values.items():
            if value is None or value is False:
                continue
            data[name] = "on" if value is True else str(value)
        return data

    return build
