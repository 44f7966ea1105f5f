"""What the pipeline pages show: cards, columns and the profile page's panel.

The views stay short; this is the part that knows what a card says. Nothing here
queries the database beyond what ``screening.selectors`` already fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Company
from accounts.money import format_money
from candidates.hours import overlap_hours
from candidates.models import Profile
from screening import registry, selectors
from screening.forms import ReviewForm
from screening.models import CLOSED_STAGES, OPEN_STAGES, Candidacy, NotAFitReason, Review, Stage
from screening.services import hand_targets, reopen_target
from searches.models import Brief


@dataclass
class Action:
    label: str
    url: str


@dataclass
class Card:
    """One engineer on a board, with the moves a teammate may make from here."""

    candidacy: Candidacy
    overlap: float
    targets: list[Stage]
    reopen_to: Stage | None
    actions: list[Action]
    yes: int = 0
    no: int = 0

    @property
    def profile(self) -> Profile:
        return self.candidacy.profile

    @property
    def stage(self) -> Stage:
        return Stage(self.candidacy.stage)

    @property
    def rate(self) -> str:
        return rate_text(self.candidacy.profile)

    @property
    def past_sourced(self) -> bool:
        return self.candidacy.stage != Stage.SOURCED

    @property
    def closed(self) -> bool:
        return self.candidacy.stage in CLOSED_STAGES

    @property
    def reviews_summary(self) -> str:
        parts = []
        if self.yes:
            parts.append(f"{self.yes} yes")
        if self.no:
            parts.append(f"{self.no} no")
        return " · ".join(parts)


def rate_text(profile: Profile) -> str:
    parts = []
    if profile.hourly_rate_usd:
        parts.append(format_money(profile.hourly_rate_usd, "USD/hour"))
    if profile.monthly_rate_pkr:
        parts.append(format_money(profile.monthly_rate_pkr, "PKR/month"))
    return " · ".join(parts) or "Not stated"


def overlap_with(profile: Profile, company: Company, on: date) -> float:
    return overlap_hours(
        profile.time_zone,
        profile.work_starts,
        profile.work_ends,
        company.time_zone,
        company.work_starts,
        company.work_ends,
        on=on,
    )


def card_actions(candidacy: Candidacy) -> list[Action]:
    """Higher apps' actions for the card's stage (e.g. hiring's "Reach out" on Sourced)."""
    return [
        Action(action.label, reverse(action.url_name, args=[candidacy.pk]))
        for action in registry.card_actions(candidacy.stage)
    ]


def reopen_to(candidacy: Candidacy) -> Stage | None:
    if candidacy.stage not in CLOSED_STAGES:
        return None
    return reopen_target(candidacy.stage, getattr(candidacy, "closed_from", None) or "")


def card(candidacy: Candidacy, company: Company, today: date) -> Card:
    return Card(
        candidacy=candidacy,
        overlap=overlap_with(candidacy.profile, company, today),
        targets=hand_targets(candidacy),
        reopen_to=reopen_to(candidacy),
        actions=card_actions(candidacy),
        yes=getattr(candidacy, "yes", 0),
        no=getattr(candidacy, "no", 0),
    )


@dataclass
class Column:
    stage: Stage
    cards: list[Card] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.stage.value.replace("_", "-")


@dataclass
class Board:
    brief: Brief
    columns: list[Column]
    closed: list[Column]

    @property
    def count(self) -> int:
        return sum(len(c.cards) for c in self.columns + self.closed)

    @property
    def closed_count(self) -> int:
        return sum(len(c.cards) for c in self.closed)


def board(brief: Brief) -> Board:
    """The brief's board: a column per open stage, then the closed cards by stage."""
    today = timezone.localdate()
    columns = {stage: Column(stage) for stage in (*OPEN_STAGES, *CLOSED_STAGES)}
    for candidacy in selectors.board_candidacies(brief):
        columns[Stage(candidacy.stage)].cards.append(card(candidacy, brief.company, today))
    return Board(
        brief=brief,
        columns=[columns[s] for s in OPEN_STAGES],
        closed=[columns[s] for s in CLOSED_STAGES],
    )


def today() -> date:
    return timezone.localdate()


def review_summary(reviews: list[Review]) -> str:
    yes = sum(1 for r in reviews if r.rating > 0)
    no = sum(1 for r in reviews if r.rating < 0)
    return " · ".join(p for p in (f"{yes} yes" if yes else "", f"{no} no" if no else "") if p)


def own_review_form(reviews: list[Review], user: Any) -> ReviewForm:
    mine = next((r for r in reviews if r.author_id == user.pk), None)
    initial = {"rating": mine.rating, "note": mine.note} if mine else {}
    return ReviewForm(initial=initial)


# The profile page's panel (registered in ScreeningConfig.ready).


def profile_pipeline_panel(
    request: HttpRequest, *, profile: Profile, company: Company | None, preview: bool, **page: Any
) -> dict[str, Any] | None:
    """ "Pipeline" on an engineer's profile page, for the employers who see it: where the
    engineer is in each of the company's pipelines, the teammates' reviews, and a way to
    add them to each open brief that does not hold them yet. Engineers never get it."""
    if company is None or preview:
        return None
    today = timezone.localdate()
    entries, add_briefs = [], []
    for found in selectors.profile_pipelines(profile, company):
        if isinstance(found, Brief):
            add_briefs.append(found)
            continue
        reviews = list(found.reviews.all())
        summary = review_summary(reviews)
        entries.append(
            {"card": card(found, company, today), "reviews": reviews, "summary": summary}
        )
    return {
        "profile": profile,
        "entries": entries,
        "add_briefs": add_briefs,
        "next": request.get_full_path(),
        "reasons": NotAFitReason.choices,
    }
