"""Fetch-and-check helpers and the pipeline's reads: the board, a candidacy, the funnels.

Team-wide access: every member of a company sees and moves its pipelines. Anyone else
(another company, an engineer, a visitor) gets a 404 for a candidacy or brief id, so an
id never reveals that a pipeline exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from accounts.models import Company, User
from candidates.models import Profile
from screening.models import OPEN_STAGES, Candidacy, Review, Stage, StageMove
from searches.models import Brief
from searches.selectors import get_brief_for_user

__all__ = ["get_brief_for_user", "get_candidacy_for_user"]


def get_candidacy_for_user(user: User, pk: int) -> Candidacy:
    """A candidacy of the user's company, with its brief, company, engineer and who added
    it, in one query; 404 for everyone else."""
    if not user.is_authenticated or not user.is_employer:
        raise Http404("No such candidacy.")
    candidacy = (
        Candidacy.objects.select_related("company", "brief__company", "profile__user", "added_by")
        .filter(pk=pk, company__memberships__user=user)
        .annotate(closed_from=_closed_from())
        .first()
    )
    if candidacy is None:
        raise Http404("No such candidacy.")
    return candidacy


def _closed_from() -> Subquery:
    """The stage a candidacy was in before its current one (what a closed card reopens to)."""
    return Subquery(
        StageMove.objects.filter(candidacy=OuterRef("pk"), to_stage=OuterRef("stage"))
        .order_by("-at", "-pk")
        .values("from_stage")[:1]
    )


def board_candidacies(brief: Brief) -> list[Candidacy]:
    """Every card of a brief's board in one query: the engineer, who added them, the
    review tally (``yes``/``no``) and, for closed cards, the stage they closed from."""
    return list(
        Candidacy.objects.filter(brief=brief)
        .select_related("profile__user", "added_by")
        .annotate(
            yes=Count("reviews", filter=Q(reviews__rating__gt=0)),
            no=Count("reviews", filter=Q(reviews__rating__lt=0)),
            closed_from=_closed_from(),
        )
        .order_by("stage_since", "pk")
    )


def candidacy_moves(candidacy: Candidacy) -> list[StageMove]:
    return list(candidacy.moves.select_related("by"))


def candidacy_reviews(candidacy: Candidacy) -> list[Review]:
    return list(candidacy.reviews.select_related("author"))


def profile_pipelines(profile: Profile, company: Company) -> list[Candidacy | Brief]:
    """For an engineer's profile page: the company's candidacies of the engineer (with
    every teammate's review) and the open briefs they could still be added to.

    One query for both (each brief carries its candidacy of this engineer, if any, as
    annotations), plus one for the reviews when there is a candidacy.
    """
    held = Candidacy.objects.filter(brief=OuterRef("pk"), profile=profile)
    last_in = StageMove.objects.filter(
        candidacy__brief=OuterRef("pk"), candidacy__profile=profile, to_stage=F("candidacy__stage")
    ).order_by("-at", "-pk")
    briefs = (
        Brief.objects.filter(company=company)
        .filter(Q(status=Brief.Status.OPEN) | Exists(held))
        .annotate(
            candidacy_pk=Subquery(held.values("pk")[:1]),
            candidacy_stage=Subquery(held.values("stage")[:1]),
            candidacy_since=Subquery(held.values("stage_since")[:1]),
            candidacy_closed_from=Subquery(last_in.values("from_stage")[:1]),
        )
        .order_by("-created_at")
    )
    found: list[Candidacy | Brief] = []
    for brief in briefs:
        if brief.candidacy_pk is None:  # type: ignore[attr-defined]
            found.append(brief)
            continue
        candidacy = Candidacy(
            pk=brief.candidacy_pk,  # type: ignore[attr-defined]
            company=company,
            brief=brief,
            profile=profile,
            stage=brief.candidacy_stage,  # type: ignore[attr-defined]
            stage_since=brief.candidacy_since,  # type: ignore[attr-defined]
        )
        candidacy.closed_from = brief.candidacy_closed_from  # type: ignore[attr-defined]
        found.append(candidacy)
    candidacies = [c for c in found if isinstance(c, Candidacy)]
    reviews = Prefetch("reviews", Review.objects.select_related("author"))
    prefetch_related_objects(candidacies, reviews)
    return found


def company_pipelines(company: Company) -> list[Brief]:
    """The company's briefs that have a pipeline, each with its open and closed counts."""
    return list(
        Brief.objects.filter(company=company)
        .annotate(
            cards=Count("candidacies"),
            open_cards=Count("candidacies", filter=Q(candidacies__stage__in=OPEN_STAGES)),
            closed_cards=Count("candidacies", filter=~Q(candidacies__stage__in=OPEN_STAGES)),
        )
        .filter(cards__gt=0)
        .order_by("status", "-created_at")
    )


# Funnels ---------------------------------------------------------------------------


@dataclass
class FunnelStep:
    stage: Stage
    reached: int
    conversion: int | None  # % of the previous stage's reached that reached this one
    median_days: float | None
    stays: int  # stays in this stage the median is taken over
    bar: int = 0  # the chart's bar length (of FUNNEL_BAR_WIDTH)
    y: int = 0  # the bar's place in the chart

    @property
    def label_x(self) -> int:
        return FUNNEL_LABEL_WIDTH + self.bar + 8


@dataclass
class Funnel:
    total: int
    steps: list[FunnelStep] = field(default_factory=list)

    @property
    def chart_width(self) -> int:
        return FUNNEL_LABEL_WIDTH + FUNNEL_BAR_WIDTH + 60

    @property
    def chart_height(self) -> int:
        return FUNNEL_ROW * len(self.steps)

    @property
    def bar_x(self) -> int:
        return FUNNEL_LABEL_WIDTH


FUNNEL_BAR_WIDTH = 400
FUNNEL_LABEL_WIDTH = 100
FUNNEL_ROW = 32


def _stage_rank() -> Case:
    return Case(
        *(When(to_stage=stage, then=rank) for rank, stage in enumerate(OPEN_STAGES)),
        output_field=IntegerField(),
    )


def funnel(*, company: Company, brief: Brief | None = None, now: datetime | None = None) -> Funnel:
    """How many candidacies reached each open stage, the conversion from one to the next
    and the median days spent in it, in two queries whatever the history's size.

    A candidacy reached a stage when the furthest open stage in its history is at or
    beyond it (a card now closed still counts for how far it got). A stay lasts from
    the move into a stage to the next move, or to ``now`` for the current one.
    """
    scope = Q(company=company) if brief is None else Q(brief=brief)
    furthest = (
        StageMove.objects.filter(candidacy=OuterRef("pk"), to_stage__in=OPEN_STAGES)
        .values("candidacy")
        .annotate(rank=Max(_stage_rank()))
        .values("rank")
    )
    by_rank = dict(
        Candidacy.objects.filter(scope)
        .annotate(furthest=Subquery(furthest))
        .values("furthest")
        .annotate(n=Count("pk"))
        .values_list("furthest", "n")
    )
    medians = _median_stays(company=company, brief=brief, now=now or timezone.now())
    result = Funnel(total=sum(by_rank.values()))
    previous: int | None = None
    for rank, stage in enumerate(OPEN_STAGES):
        reached = sum(n for r, n in by_rank.items() if r is not None and r >= rank)
        conversion = None
        if previous:
            conversion = round(100 * reached / previous)
        median, stays = medians.get(stage.value, (None, 0))
        result.steps.append(FunnelStep(stage, reached, conversion, median, stays))
        previous = reached
    top = max((s.reached for s in result.steps), default=0)
    for n, step in enumerate(result.steps):
        step.bar = round(FUNNEL_BAR_WIDTH * step.reached / top) if top else 0
        step.y = n * FUNNEL_ROW
    return result


def _median_stays(
    *, company: Company, brief: Brief | None, now: datetime
) -> dict[str, tuple[float, int]]:
    """{open stage: (median days of its stays, number of stays)}: one query."""
    moves = StageMove._meta.db_table
    candidacies = Candidacy._meta.db_table
    where, value = ("c.brief_id = %s", brief.pk) if brief else ("c.company_id = %s", company.pk)
    sql = f"""
        WITH stays AS (
            SELECT m.to_stage,
                   EXTRACT(EPOCH FROM COALESCE(
                       LEAD(m.at) OVER (PARTITION BY m.candidacy_id ORDER BY m.at, m.id),
                       %s
                   ) - m.at) / 86400.0 AS days
            FROM {moves} m JOIN {candidacies} c ON c.id = m.candidacy_id
            WHERE {where}
        )
        SELECT to_stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY days), count(*)
        FROM stays WHERE to_stage = ANY(%s) GROUP BY to_stage
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, value, [s.value for s in OPEN_STAGES]])
        rows = cursor.fetchall()
    return {stage: (round(max(float(median), 0.0), 1), count) for stage, median, count in rows}
