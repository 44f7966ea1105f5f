"""screening's part of a person's export: what a teammate wrote about engineers, and what
an engineer was asked to do and answered, never the team's scores of them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from screening.models import Assessment, Grade, Interview, Scorecard, Stage
from tests.factories import BriefFactory, ProfileFactory, candidacy_in
from tests.screening.conftest import walk_to

pytestmark = pytest.mark.django_db


def test_the_export_holds_grades_and_scorecards_for_the_team_and_only_answers_for_the_engineer(
    owner: User, engineer: User
) -> None:
    profile = ProfileFactory(user=engineer, status="approved")
    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    candidacy = walk_to(candidacy_in(brief, profile, user=owner), Stage.INTERVIEW, owner)
    now = timezone.now()
    assessment = Assessment.objects.create(
        candidacy=candidacy,
        company=candidacy.company,
        title="Ledger take-home",
        instructions="Build it.",
        time_box_hours=4,
        submit_kind="repository",
        deadline=now + timedelta(days=3),
        status=Assessment.Status.GRADED,
        submission_url="https://git.example/ledger",
        submission_note="My notes are in the README",
        submitted_at=now,
    )
    Grade.objects.create(
        assessment=assessment,
        grader=owner,
        scores={"design": {"score": 3, "evidence": "secret grader evidence"}},
        recommendation=1,
        submitted_at=now,
    )
    interview = Interview.objects.create(
        candidacy=candidacy,
        company=candidacy.company,
        kind="technical",
        length_minutes=60,
        video_link="https://meet.example/x",
        status=Interview.Status.BOOKED,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=1),
    )
    Scorecard.objects.create(
        interview=interview,
        interviewer=owner,
        ratings={"databases": {"score": 4, "evidence": "secret interviewer evidence"}},
        recommendation=2,
        submitted_at=now,
    )

    engineers = account_services.account_export(user=engineer)
    owners = account_services.account_export(user=owner)

    [sent] = engineers["assessments_you_were_sent"]
    assert sent["your_link"] == "https://git.example/ledger"
    assert sent["your_note"] == "My notes are in the README"
    assert [i["interview"] for i in engineers["interviews_you_were_invited_to"]] == [
        "Technical interview"
    ]
    text = str(engineers)
    assert "secret grader evidence" not in text and "secret interviewer evidence" not in text
    assert "grades_you_gave" not in engineers
    [grade] = owners["grades_you_gave"]
    assert grade["scores"]["design"]["evidence"] == "secret grader evidence"
    [card] = owners["scorecards_you_wrote"]
    assert card["recommendation"] == "Strong yes"
