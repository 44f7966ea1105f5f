"""`make run`'s demo data tells a story a visitor can follow, and sends nothing."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, OutboundEmail, User
from candidates import selectors
from candidates.models import Profile
from searches.models import Brief, ShortlistEntry

pytestmark = pytest.mark.django_db

OWNER = "employer@karigar.localhost"
NAMED = ("bilal@karigar.localhost", "hira@karigar.localhost")


@pytest.fixture
def demo(settings: Any) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def open_brief() -> Brief:
    return Brief.objects.get(company__memberships__user__email=OWNER, status=Brief.Status.OPEN)


def test_a_django_and_postgresql_brief_matches_dozens_of_demo_engineers(
    demo: str, client: Client
) -> None:
    brief = open_brief()
    client.force_login(User.objects.get(email=OWNER))

    response = client.get(reverse("searches:results", args=[brief.pk]))

    assert response.status_code == 200
    assert {s.skill.name for s in brief.skills.filter(kind="must")} == {"Django", "PostgreSQL"}
    assert response.context["page"].count >= 30
    assert "engineers match" in response.content.decode()


def test_the_demo_employer_has_an_open_brief_with_a_noted_shortlist_and_a_paused_one(
    demo: str,
) -> None:
    company = User.objects.get(email=OWNER).membership.company
    brief = open_brief()

    assert company.name == "Ravi Logistics"
    assert brief.title == "Django + PostgreSQL payments API"
    # Two more, closed: the briefs Sana was hired for (her contracts below).
    assert set(company.briefs.values_list("status", flat=True)) == {"open", "paused", "closed"}
    entries = list(ShortlistEntry.objects.filter(brief=brief).select_related("profile__user"))
    assert len(entries) >= 3
    assert all(entry.note for entry in entries)
    # The named engineers are on it, so they match the brief.
    assert set(NAMED) <= {entry.profile.user.email for entry in entries}


def test_the_demo_employer_has_a_teammate_and_a_pending_invitation(demo: str) -> None:
    company = User.objects.get(email=OWNER).membership.company

    roles = dict(company.memberships.values_list("user__email", "role"))
    assert roles == {OWNER: Membership.Role.OWNER, "usman@karigar.localhost": "member"}
    assert Invitation.objects.pending().filter(company=company).count() == 1


def test_the_named_engineers_have_complete_approved_profiles(demo: str) -> None:
    for email in NAMED:
        profile = Profile.objects.get(user__email=email)
        assert profile.status == Profile.Status.APPROVED
        assert profile.is_listed
        assert selectors.missing_for_submission(profile) == []
        assert selectors.changes_since_approval(profile) == []


def test_the_review_queue_holds_profiles_submitted_in_the_last_week(demo: str) -> None:
    waiting = Profile.objects.filter(status=Profile.Status.SUBMITTED)
    week_ago = timezone.now() - timedelta(days=7)

    assert waiting.count() >= 3
    assert all(week_ago <= p.submitted_at <= timezone.now() for p in waiting)  # type: ignore[operator]


def test_demo_data_sends_no_email(demo: str) -> None:
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_running_demo_data_twice_adds_nothing_and_prints_the_logins(
    demo: str, settings: Any
) -> None:
    def counts() -> list[int]:
        return [
            User.objects.count(),
            Profile.objects.count(),
            Brief.objects.count(),
            ShortlistEntry.objects.count(),
            Invitation.objects.count(),
            Membership.objects.count(),
        ]

    before = counts()
    out = StringIO()
    call_command("demo_data", stdout=out)

    assert counts() == before
    assert OutboundEmail.objects.count() == 0
    for email in (OWNER, "usman@karigar.localhost", *NAMED, "staff@karigar.localhost"):
        assert email in out.getvalue()


def test_the_open_brief_has_a_pipeline_with_outreach_in_every_state(demo: str) -> None:
    from hiring.models import Message, Outreach
    from screening.models import Candidacy, Review

    brief = open_brief()
    stages = set(Candidacy.objects.filter(brief=brief).values_list("stage", flat=True))
    statuses = {
        o.profile.user.email: o.status
        for o in Outreach.objects.filter(brief=brief).select_related("profile__user")
    }

    assert {"sourced", "contacted", "interested", "assessment", "interview"} <= stages
    assert {"declined", "not_a_fit"} <= stages
    assert statuses["hira@karigar.localhost"] == Outreach.Status.ACCEPTED
    assert statuses["bilal@karigar.localhost"] == Outreach.Status.SENT
    assert Outreach.Status.DECLINED in statuses.values()
    hira = Outreach.objects.get(profile__user__email="hira@karigar.localhost")
    lines = list(Message.objects.filter(thread=hira.thread).values_list("side", flat=True))
    assert lines.count("company") >= 1 and lines.count("engineer") >= 2
    assert Review.objects.filter(candidacy__brief=brief).count() >= 3
    assert Candidacy.objects.filter(
        brief=brief, stage_since__lt=timezone.now() - timedelta(days=2)
    ).exists()
    assert OutboundEmail.objects.count() == 0


def test_running_demo_data_twice_keeps_one_pipeline(demo: str) -> None:
    from screening.models import Candidacy, StageMove

    before = (Candidacy.objects.count(), StageMove.objects.count())
    call_command("demo_data", stdout=StringIO())
    assert (Candidacy.objects.count(), StageMove.objects.count()) == before


def test_the_demo_shows_screening_at_every_step(demo: str) -> None:
    from screening.models import (
        Assessment,
        AssessmentTemplate,
        BriefKit,
        Interview,
        Scorecard,
    )

    brief = open_brief()
    now = timezone.now()
    assert AssessmentTemplate.objects.filter(company=brief.company, paid=True).count() == 1
    assert set(BriefKit.objects.filter(brief=brief).values_list("kind", flat=True)) == {
        "technical",
        "final",
    }
    # Handed in; Usman graded, Ayesha's grade still to come.
    waiting = Assessment.objects.get(candidacy__brief=brief, status=Assessment.Status.SUBMITTED)
    assert waiting.anonymous
    assert [g.grader.email for g in waiting.grades.filter(submitted_at__isnull=False)] == [
        "usman@karigar.localhost"
    ]
    assert waiting.grades.get(grader__email=OWNER).submitted_at is None
    # Graded by both, interviewed in the past with both scorecards in after the end,
    # and a final interview offered at times still to come.
    graded = Assessment.objects.get(candidacy__brief=brief, status=Assessment.Status.GRADED)
    technical = Interview.objects.get(candidacy=graded.candidacy, kind="technical")
    assert technical.status == Interview.Status.BOOKED
    assert technical.ends_at is not None and technical.ends_at < now
    cards = Scorecard.objects.filter(interview=technical)
    assert cards.count() == 2
    assert all(c.submitted_at and c.submitted_at > technical.ends_at for c in cards)
    assert graded.sent_at < graded.submitted_at < technical.starts_at  # type: ignore[operator]
    final = Interview.objects.get(candidacy=graded.candidacy, kind="final")
    assert final.status == Interview.Status.PROPOSED
    assert final.slots.count() == 3
    assert all(slot.starts_at > now for slot in final.slots.all())
    assert OutboundEmail.objects.count() == 0


def test_the_demo_owner_sees_no_marks_before_grading_and_both_scorecards(
    demo: str, client: Client
) -> None:
    from screening.models import Assessment

    client.force_login(User.objects.get(email=OWNER))
    waiting = Assessment.objects.get(status=Assessment.Status.SUBMITTED)
    page = client.get(reverse("screening:assessment_grade", args=[waiting.pk])).content.decode()
    assert "Solid: the cases we care about are covered." not in page
    graded = Assessment.objects.get(status=Assessment.Status.GRADED)
    summary = client.get(reverse("screening:scorecards", args=[graded.candidacy_id]))
    text = summary.content.decode()
    assert summary.status_code == 200
    assert "Nobody rated" in text and "Security" in text


def test_the_demo_has_a_finished_contract_reviewed_by_both_and_a_running_one(
    demo: str, client: Client
) -> None:
    from hiring.models import CheckIn, Contract, ContractReview, MilestoneWork, Payment

    sana = Profile.objects.get(user__email="sana@karigar.localhost")
    ended, running = (
        Contract.objects.get(profile=sana, status=Contract.Status.ENDED),
        Contract.objects.get(profile=sana, status=Contract.Status.ACTIVE),
    )
    # Phase one: both reviews published, the company's reply to Sana's.
    reviews = ContractReview.objects.filter(contract=ended, published_at__isnull=False)
    assert sorted(reviews.values_list("side", flat=True)) == ["company", "engineer"]
    assert reviews.get(side="engineer").reply_text
    # Phase two: changed once, check-ins in every state, a milestone waiting for the
    # company, an invoice paid and confirmed and one overdue.
    assert running.current is not None and running.current.number == 2
    assert set(CheckIn.objects.filter(contract=running).values_list("status", flat=True)) == {
        "answered",
        "missed",
        "skipped",
        "due",
    }
    assert MilestoneWork.objects.filter(contract=running, status="submitted").count() == 1
    payments = Payment.objects.filter(contract=running).order_by("due_on")
    assert payments[0].confirmed_at is not None
    assert payments[1].paid_at is None and payments[1].due_on < timezone.localdate()
    # The employer sees the review on Sana's profile; Sana sees her check-in waiting.
    client.force_login(User.objects.get(email=OWNER))
    profile_page = client.get(reverse("candidates:detail", args=[sana.pk])).content.decode()
    assert "Sana found every mismatch" in profile_page
    client.force_login(sana.user)
    home = client.get(reverse("candidates:me")).content.decode()
    assert running.current.title in home


def test_demo_contracts_are_told_once_and_send_nothing(demo: str) -> None:
    from hiring.models import Contract

    call_command("demo_data", stdout=StringIO())

    assert Contract.objects.count() == 2
    assert not OutboundEmail.objects.exists()
