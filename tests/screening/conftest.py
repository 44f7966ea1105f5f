"""A brief of the owner's company, listed engineers and candidacies walked to a stage."""

from __future__ import annotations

from datetime import datetime

import pytest

from accounts.models import User
from candidates.models import Profile
from screening.models import Candidacy, Stage, StageMove
from screening.services import candidacy_move
from searches.models import Brief
from tests.factories import BriefFactory, ProfileFactory, candidacy_in

#: How a card reaches each stage, from Sourced: outreach moves it to Contacted and
#: Interested, a teammate the rest.
WALK = {
    Stage.CONTACTED: [Stage.CONTACTED],
    Stage.INTERESTED: [Stage.CONTACTED, Stage.INTERESTED],
    Stage.ASSESSMENT: [Stage.CONTACTED, Stage.INTERESTED, Stage.ASSESSMENT],
    Stage.INTERVIEW: [Stage.CONTACTED, Stage.INTERESTED, Stage.ASSESSMENT, Stage.INTERVIEW],
    Stage.OFFER: [Stage.CONTACTED, Stage.INTERESTED, Stage.INTERVIEW, Stage.OFFER],
    Stage.HIRED: [Stage.CONTACTED, Stage.INTERESTED, Stage.OFFER, Stage.HIRED],
    Stage.DECLINED: [Stage.CONTACTED, Stage.DECLINED],
    Stage.WITHDRAWN: [Stage.CONTACTED, Stage.INTERESTED, Stage.WITHDRAWN],
    Stage.NO_ANSWER: [Stage.CONTACTED, Stage.NO_ANSWER],
}
BY_OUTREACH = {Stage.CONTACTED, Stage.DECLINED, Stage.WITHDRAWN, Stage.NO_ANSWER}


def walk_to(candidacy: Candidacy, stage: Stage, by: User, at: datetime | None = None) -> Candidacy:
    """Move a Sourced card to ``stage`` the way the product does: outreach, then hands."""
    for step in WALK.get(stage, []):
        outreach = step in BY_OUTREACH or (
            step == Stage.INTERESTED and candidacy.stage == Stage.CONTACTED
        )
        candidacy_move(candidacy=candidacy, to=step, by=by, via_outreach=outreach)
    if stage == Stage.NOT_A_FIT:
        candidacy_move(candidacy=candidacy, to=stage, by=by, reason="skills")
    candidacy.refresh_from_db()
    return candidacy


def moves_of(candidacy: Candidacy) -> list[tuple[str, str]]:
    return list(StageMove.objects.filter(candidacy=candidacy).values_list("from_stage", "to_stage"))


@pytest.fixture
def brief(owner: User) -> Brief:
    return BriefFactory(company=owner.membership.company, created_by=owner, title="Payments API")


@pytest.fixture
def listed(db: None) -> Profile:
    return ProfileFactory(status="approved", user__full_name="Ayesha Khan")


@pytest.fixture
def candidacy(brief: Brief, listed: Profile, owner: User) -> Candidacy:
    return candidacy_in(brief, listed, user=owner)


@pytest.fixture
def card_at(brief: Brief, owner: User):  # type: ignore[no-untyped-def]
    """``card_at(Stage.OFFER)``: a new engineer's candidacy walked to that stage."""

    def make(stage: Stage, **profile: object) -> Candidacy:
        candidacy = candidacy_in(brief, ProfileFactory(status="approved", **profile), user=owner)
        return walk_to(candidacy, stage, owner)

    return make
