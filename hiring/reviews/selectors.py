"""Reads of ending and reviews: the contract page's panel, the review fetch-and-check,
and what is public.

Blind reviews: a review is shown to the side that wrote it, and to the other side only
once published (``published_at``). Nothing on a page says whether the other side has
written theirs before then. A hidden review (``hidden_at``) is shown nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from hiring.contracts.access import contract_for_user
from hiring.contracts.common import day_text, engineer_zone, other_side, viewer_zone, zone_label
from hiring.models import Contract, ContractReview, HandoverItem, HandoverTick, Side
from hiring.reviews import services
from hiring.reviews.forms import EndForm

#: A review anyone may read: published and not hidden by staff.
PUBLIC = Q(published_at__isnull=False, hidden_at__isnull=True)


def public_reviews() -> QuerySet[ContractReview]:
    """Every review shown in public, newest first."""
    return ContractReview.objects.filter(PUBLIC).order_by("-published_at", "-pk")


def review_for_user(user: User, review_pk: int) -> tuple[ContractReview, str]:
    """A review and the viewer's side on its contract: 404 for anyone who is not a
    party to the contract, and for the side reviewed while the review is unpublished
    (so an id never tells whether the other side has written one)."""
    review = ContractReview.objects.filter(pk=review_pk).first()
    if review is None:
        raise Http404("No such review.")
    contract, side = contract_for_user(user, review.contract_id)
    if review.side != side and review.published_at is None:
        raise Http404("No such review.")
    review.contract = contract
    return review, side


def when_text(moment: datetime, zone: str) -> str:
    """ "Monday 15 June 2026, 14:05 PKT" in ``zone``."""
    local = timezone.localtime(moment, ZoneInfo(zone))
    return f"{day_text(local.date())}, {local:%H:%M} {local:%Z}"


# How a review shows ---------------------------------------------------------------------

SCORE_LABELS = {
    "quality": "Quality of work",
    "communication": "Communication",
    "reliability": "Reliability",
    "time_zones": "Working across time zones",
    "clarity": "Clarity of the brief",
    "responsiveness": "Responsiveness",
    "paying_on_time": "Paying on time",
}


@dataclass
class ReviewRow:
    """One review as a party to the contract sees it."""

    review: ContractReview
    author: str  # "Acme Ltd" or "Sana Javed": who the review is by
    subject: str  # who it is about
    mine: bool  # written by the viewer's side
    stars: str  # "★★★★☆"
    scores: list[tuple[str, int]]
    published: str = ""
    replied: str = ""
    reported: str = ""
    can_reply: bool = False
    can_report: bool = False


def stars_text(stars: int) -> str:
    return "★" * stars + "☆" * (5 - stars)


def review_row(review: ContractReview, *, contract: Contract, side: str, zone: str) -> ReviewRow:
    company, engineer = contract.company.name, contract.profile.user.display_name
    by_company = review.side == Side.COMPANY
    public = review.published_at is not None and review.hidden_at is None
    theirs = review.side != side
    return ReviewRow(
        review=review,
        author=company if by_company else engineer,
        subject=engineer if by_company else company,
        mine=not theirs,
        stars=stars_text(review.stars),
        scores=[
            (SCORE_LABELS[name], value)
            for name in services.SCORES[review.side]
            if (value := getattr(review, name)) is not None
        ],
        published=when_text(review.published_at, zone) if review.published_at else "",
        replied=when_text(review.replied_at, zone) if review.replied_at else "",
        reported=when_text(review.reported_at, zone) if review.reported_at else "",
        can_reply=public and theirs and review.replied_at is None,
        can_report=public and theirs and review.reported_at is None,
    )


# The contract page's panel ---------------------------------------------------------------


@dataclass
class HandoverRow:
    item: str
    label: str
    mine: str = ""  # "Ticked by Sana Javed, Monday 15 June 2026, 14:05 PKT"
    theirs: str = ""


@dataclass
class EndingPanel:
    """What the ending-and-reviews part of the contract page shows."""

    status: str
    side: str
    other: str  # the other side's name
    zone: str  # the engineer's zone, where the contract's dates are read
    end_form: EndForm | None = None
    end_refusal: str = ""
    earliest: str = ""
    latest: str = ""
    notice_days: int = 0
    last_day: str = ""
    notice_by: str = ""
    notice_at: str = ""
    reason: str = ""
    ended_at: str = ""
    handover: list[HandoverRow] = field(default_factory=list)
    can_untick: bool = False
    review_open: bool = False
    closes: str = ""
    mine: ReviewRow | None = None
    published: list[ReviewRow] = field(default_factory=list)
    hidden: int = 0
    review_days: int = Contract.REVIEW_DAYS


RUNNING_OR_ENDED = (Contract.Status.ACTIVE, Contract.Status.ENDING, Contract.Status.ENDED)


def contract_panel(*, contract: Contract, side: str, user: User) -> dict[str, Any]:
    """The ending part of the contract page: the end form (active), the notice
    (ending), the handover checklist (ending and ended), and the reviews (ended).
    At most three queries whatever the rows: the viewer's zone (a teammate's), the
    handover ticks, and the reviews."""
    if contract.status not in RUNNING_OR_ENDED:
        return {}
    now = timezone.now()
    company, engineer = contract.company.name, contract.profile.user.display_name
    panel = EndingPanel(
        status=contract.status,
        side=side,
        other=company if side == Side.ENGINEER else engineer,
        zone=zone_label(engineer_zone(contract)),
    )
    if contract.status == Contract.Status.ACTIVE:
        _end_part(panel, contract, now)
        return {"ending": panel}
    zone = viewer_zone(contract, side, user)
    if contract.ends_on:
        panel.last_day = day_text(contract.ends_on)
    if contract.end_side:
        panel.notice_by = company if contract.end_side == Side.COMPANY else engineer
        panel.reason = contract.end_reason
        if contract.end_requested_at:
            panel.notice_at = when_text(contract.end_requested_at, zone)
    if contract.ended_at:
        panel.ended_at = when_text(contract.ended_at, zone)
    _handover_part(panel, contract, side, zone)
    if contract.status == Contract.Status.ENDED:
        _reviews_part(panel, contract, side, zone, now)
    return {"ending": panel}


def _end_part(panel: EndingPanel, contract: Contract, now: datetime) -> None:
    refusal = services.end_refusal(contract, now)
    latest = services.latest_end(contract)
    panel.notice_days = contract.current.notice_days if contract.current else 0
    panel.latest = day_text(latest) if latest else ""
    if refusal is not None:
        panel.end_refusal = str(refusal).removesuffix(" Nothing was changed.")
        return
    earliest = services.earliest_end(contract, now)
    panel.earliest = day_text(earliest)
    panel.end_form = EndForm(
        earliest=earliest, latest=latest, trial=services.in_trial(contract, now)
    )


def _handover_part(panel: EndingPanel, contract: Contract, side: str, zone: str) -> None:
    ticks = HandoverTick.objects.filter(contract=contract).select_related("by").order_by("pk")
    found = {(t.item, t.side): t for t in ticks}
    for item in HandoverItem:
        row = HandoverRow(item=item.value, label=item.label)
        for whose, attr in ((side, "mine"), (other_side(side), "theirs")):
            tick = found.get((item.value, whose))
            if tick is not None:
                who = tick.by.display_name if tick.by else "someone who has left"
                setattr(row, attr, f"Ticked by {who}, {when_text(tick.at, zone)}")
        panel.handover.append(row)
    panel.can_untick = contract.status == Contract.Status.ENDING


def _reviews_part(
    panel: EndingPanel, contract: Contract, side: str, zone: str, now: datetime
) -> None:
    # Every review of the contract is read, then filtered here: the query is the same
    # whether the other side has written one or not.
    reviews = list(ContractReview.objects.filter(contract=contract).order_by("side"))
    mine = next((r for r in reviews if r.side == side), None)
    if mine is not None:
        panel.mine = review_row(mine, contract=contract, side=side, zone=zone)
    panel.review_open = mine is None and services.review_refusal(contract, side, now) is None
    if contract.reviews_close_at and contract.reviews_published_at is None:
        panel.closes = when_text(contract.reviews_close_at, zone)
    for review in reviews:
        if review.published_at is None:
            continue
        if review.hidden_at is not None:
            panel.hidden += 1
            continue
        panel.published.append(review_row(review, contract=contract, side=side, zone=zone))
