"""What each company asks of the engineer now, on Opportunities and on the opportunity
page: assessments with their deadline, interview times to pick, booked interviews, in
the engineer's time zone and the company's, across daylight saving changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from candidates.models import Profile
from hiring.models import Outreach
from screening.models import Assessment, Grade, Interview, Scorecard
from screening.selectors.engineer import AskKind, engineer_asks
from tests.bank.conftest import assessment_for, interview_for, make_kit, screening_candidacy
from tests.factories import EmployerFactory, ProfileFactory

pytestmark = pytest.mark.django_db

LIST = reverse("hiring:opportunities")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday, before New York's clocks change


def _text(response: Any) -> str:
    return unescape(response.content.decode())


def _words(response: Any) -> str:
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", _text(response)).split())


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The Opportunities pages read the clock as NOW."""
    import hiring.views

    monkeypatch.setattr(hiring.views, "now", lambda: NOW)
    return NOW


def _kinds(profile: Profile, now: datetime = NOW) -> dict[int, list[str]]:
    return {
        pk: [ask.kind.value for ask in asks] for pk, asks in engineer_asks(profile, now).items()
    }


# The selector --------------------------------------------------------------------------


def test_an_assessment_waiting_for_the_engineer_is_asked_with_its_deadline(bank_profile: Profile):
    candidacy = screening_candidacy(bank_profile)
    deadline = _at(2026, 3, 5, 12)
    assessment = assessment_for(candidacy, deadline)

    asks = engineer_asks(bank_profile, NOW)

    (ask,) = asks[candidacy.pk]
    assert ask.kind == AskKind.ASSESSMENT
    assert (ask.pk, ask.at, ask.company) == (assessment.pk, deadline, candidacy.company)
    assert ask.title == "Settlement service take-home"


@pytest.mark.parametrize("status", ["submitted", "graded", "expired", "withdrawn"])
def test_an_assessment_no_longer_waiting_asks_nothing(bank_profile: Profile, status: str):
    assessment_for(screening_candidacy(bank_profile), _at(2026, 3, 5), status=status)

    assert engineer_asks(bank_profile, NOW) == {}


def test_interview_times_to_pick_or_to_ask_for_again(bank_profile: Profile):
    pick = screening_candidacy(bank_profile)
    interview_for(pick, slots=[_at(2026, 3, 1, 9), _at(2026, 3, 3, 9), _at(2026, 3, 4, 9)])
    passed = screening_candidacy(bank_profile)
    interview_for(passed, slots=[_at(2026, 3, 1, 9)])
    waiting = screening_candidacy(bank_profile)
    interview_for(waiting, others_asked_at=NOW - timedelta(hours=1))

    asks = engineer_asks(bank_profile, NOW)

    assert [a.kind for a in asks[pick.pk]] == [AskKind.PICK]
    assert asks[pick.pk][0].slots == 2  # the times still ahead
    assert [a.kind for a in asks[passed.pk]] == [AskKind.PASSED]
    assert [a.kind for a in asks[waiting.pk]] == [AskKind.WAITING]


def test_a_booked_interview_ahead_and_new_times_offered_to_move_it(bank_profile: Profile):
    booked = screening_candidacy(bank_profile)
    start = _at(2026, 3, 4, 10)
    interview_for(booked, status="booked", starts_at=start, slots=[start])
    moving = screening_candidacy(bank_profile)
    interview_for(moving, status="booked", starts_at=start, slots=[start, _at(2026, 3, 6, 10)])

    asks = engineer_asks(bank_profile, NOW)

    assert [(a.kind, a.at) for a in asks[booked.pk]] == [(AskKind.INTERVIEW, start)]
    assert [a.kind for a in asks[moving.pk]] == [AskKind.INTERVIEW, AskKind.REPICK]
    assert asks[moving.pk][1].slots == 1


def test_a_booked_interview_the_engineer_asked_to_move_holds_until_new_times_come(
    bank_profile: Profile,
):
    candidacy = screening_candidacy(bank_profile)
    start = _at(2026, 3, 4, 10)
    interview_for(candidacy, status="booked", starts_at=start, others_asked_at=NOW)

    asks = engineer_asks(bank_profile, NOW)[candidacy.pk]

    assert [(a.kind, a.at) for a in asks] == [(AskKind.INTERVIEW, start), (AskKind.WAITING, None)]
    assert asks[1].summary.startswith("You asked for other interview times")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "booked", "starts_at": _at(2026, 3, 1, 10)},  # already held
        {"status": "cancelled", "starts_at": _at(2026, 3, 4, 10)},
        {"status": "no_show", "starts_at": _at(2026, 3, 1, 10)},
        {"status": "cancelled", "slots": [_at(2026, 3, 4, 10)]},
    ],
)
def test_interviews_held_or_cancelled_ask_nothing(bank_profile: Profile, fields: dict[str, Any]):
    interview_for(screening_candidacy(bank_profile), **fields)

    assert engineer_asks(bank_profile, NOW) == {}


def test_another_engineers_assessments_and_interviews_are_not_theirs(bank_profile: Profile):
    other = ProfileFactory(status="approved")
    candidacy = screening_candidacy(other)
    assessment_for(candidacy, _at(2026, 3, 5))
    interview_for(candidacy, slots=[_at(2026, 3, 5)])

    assert engineer_asks(bank_profile, NOW) == {}
    assert list(engineer_asks(other, NOW)) == [candidacy.pk]


@pytest.mark.parametrize("companies", [1, 3])
def test_the_selector_runs_two_queries_however_many_companies(
    bank_profile: Profile, django_assert_num_queries: Any, companies: int
):
    for _ in range(companies):
        candidacy = screening_candidacy(bank_profile)
        assessment_for(candidacy, _at(2026, 3, 5))
        interview_for(candidacy, slots=[_at(2026, 3, 5), _at(2026, 3, 6)])
        interview_for(candidacy, status="booked", starts_at=_at(2026, 3, 9))

    with django_assert_num_queries(2):
        asks = engineer_asks(bank_profile, NOW)
        lines = [ask.summary for found in asks.values() for ask in found]

    assert len(lines) == 3 * companies


# Times across daylight saving ----------------------------------------------------------


def _plain(at: datetime, zone: str, fmt: str) -> str:
    """The same time, computed with zoneinfo alone."""
    return at.astimezone(ZoneInfo(zone)).strftime(fmt).replace(" 0", " ", 1)


def test_a_new_york_engineer_sees_interviews_either_side_of_the_clock_change(
    client: Client, engineer: Any, bank_profile: Profile, frozen: datetime
):
    Profile.objects.filter(pk=bank_profile.pk).update(time_zone="America/New_York")
    bank_profile.refresh_from_db()
    before, after = _at(2026, 3, 6, 14), _at(2026, 3, 9, 14)  # New York moves on 8 March
    interview_for(
        screening_candidacy(bank_profile, time_zone="Asia/Karachi"),
        status="booked",
        starts_at=before,
    )
    interview_for(
        screening_candidacy(bank_profile, time_zone="Asia/Karachi"),
        status="booked",
        starts_at=after,
    )
    client.force_login(engineer)

    page = _text(client.get(LIST))

    assert "Interview Fri 6 Mar, 09:00 your time (19:00 in Karachi)" in page
    assert "Interview Mon 9 Mar, 10:00 your time (19:00 in Karachi)" in page
    for at in (before, after):
        mine = _plain(at, "America/New_York", "%a %d %b, %H:%M")
        theirs = _plain(at, "Asia/Karachi", "%H:%M")
        assert f"Interview {mine} your time ({theirs} in Karachi)" in page


def test_a_lahore_engineer_sees_a_berlin_deadline_either_side_of_octobers_change(
    client: Client, engineer: Any, bank_profile: Profile, monkeypatch: pytest.MonkeyPatch
):
    import hiring.views

    monkeypatch.setattr(hiring.views, "now", lambda: _at(2026, 10, 20, 9))
    before, after = _at(2026, 10, 23, 15), _at(2026, 10, 26, 15)  # Berlin moves on 25 October
    assessment_for(screening_candidacy(bank_profile, time_zone="Europe/Berlin"), before)
    assessment_for(screening_candidacy(bank_profile, time_zone="Europe/Berlin"), after)
    client.force_login(engineer)

    page = _text(client.get(LIST))

    assert "Assessment due 23 Oct, 20:00 your time (17:00 in Berlin)" in page
    assert "Assessment due 26 Oct, 20:00 your time (16:00 in Berlin)" in page
    for at in (before, after):
        mine = _plain(at, "Asia/Karachi", "%d %b, %H:%M").lstrip("0")
        theirs = _plain(at, "Europe/Berlin", "%H:%M")
        assert f"Assessment due {mine} your time ({theirs} in Berlin)" in page


def test_the_companys_clock_is_left_out_when_it_reads_the_same(
    client: Client, engineer: Any, bank_profile: Profile, frozen: datetime
):
    assessment_for(screening_candidacy(bank_profile, time_zone="Asia/Karachi"), _at(2026, 3, 3, 12))
    client.force_login(engineer)

    page = _text(client.get(LIST))

    assert "Assessment due 3 Mar, 17:00 your time</a>" in page


def test_the_company_side_names_its_own_day_when_it_differs(bank_profile: Profile):
    Profile.objects.filter(pk=bank_profile.pk).update(time_zone="Asia/Karachi")
    bank_profile.refresh_from_db()
    candidacy = screening_candidacy(bank_profile, time_zone="America/New_York")
    interview_for(candidacy, status="booked", starts_at=_at(2026, 3, 3, 3))  # 08:00 Lahore

    (ask,) = engineer_asks(bank_profile, NOW)[candidacy.pk]

    assert ask.summary == "Interview Tue 3 Mar, 08:00 your time (Mon 2 Mar, 22:00 in New York)"


# The pages -----------------------------------------------------------------------------


def test_opportunities_shows_each_companys_ask_with_links(
    client: Client, engineer: Any, bank_profile: Profile, frozen: datetime
):
    testing = screening_candidacy(bank_profile)
    assessment = assessment_for(testing, _at(2026, 3, 5, 12))
    picking = screening_candidacy(bank_profile)
    proposed = interview_for(picking, slots=[_at(2026, 3, 4, 9)])
    booked_at = screening_candidacy(bank_profile)
    booked = interview_for(booked_at, status="booked", starts_at=_at(2026, 3, 4, 9))
    quiet = screening_candidacy(bank_profile)
    client.force_login(engineer)

    page = _text(client.get(LIST))

    assert reverse("screening:my_assessment", args=[assessment.pk]) in page
    assert "Pick an interview time" in page
    assert reverse("screening:my_interview", args=[proposed.pk]) in page
    assert reverse("screening:my_interview", args=[booked.pk]) in page
    assert reverse("screening:my_interview_ics", args=[booked.pk]) in page
    assert "Nothing right now" in page
    assert quiet.company.name in page


def test_an_older_outreach_of_the_same_candidacy_does_not_repeat_the_asks(
    client: Client, engineer: Any, bank_profile: Profile, frozen: datetime
):
    candidacy = screening_candidacy(bank_profile)
    assessment_for(candidacy, _at(2026, 3, 5, 12))
    first = Outreach.objects.get(candidacy=candidacy)
    older = Outreach.objects.get(pk=first.pk)
    older.pk = None
    older.sent_at = first.sent_at - timedelta(days=30)
    older.status = Outreach.Status.EXPIRED
    older.save()
    client.force_login(engineer)

    page = _text(client.get(LIST))

    assert page.count("Assessment due") == 1


def test_the_opportunity_page_says_what_the_company_asks_now(
    client: Client, engineer: Any, bank_profile: Profile, frozen: datetime
):
    Profile.objects.filter(pk=bank_profile.pk).update(time_zone="Asia/Karachi")
    candidacy = screening_candidacy(bank_profile, time_zone="Europe/Berlin")
    assessment = assessment_for(candidacy, _at(2026, 3, 5, 12))
    Assessment.objects.filter(pk=assessment.pk).update(extension="asked")
    booked = interview_for(candidacy, status="booked", starts_at=_at(2026, 3, 9, 10))
    other_time = interview_for(candidacy, slots=[_at(2026, 3, 10, 10)], kind="final")
    outreach = Outreach.objects.get(candidacy=candidacy)
    company = candidacy.company.name
    client.force_login(engineer)

    response = client.get(reverse("hiring:opportunity", args=[outreach.pk]))
    page = _words(response)

    assert f"What {company} asks of you now" in page
    assert "Assessment: Settlement service take-home" in page
    assert "5 Mar, 17:00 your time (13:00 in Berlin)" in page
    assert "You asked for more time" in page
    assert "Mon 9 Mar, 15:00 your time (11:00 in Berlin), 45 minutes" in page
    assert "Final interview: pick a time" in page
    for url in (
        reverse("screening:my_assessment", args=[assessment.pk]),
        reverse("screening:my_interview", args=[booked.pk]),
        reverse("screening:my_interview_ics", args=[booked.pk]),
        reverse("screening:my_interview", args=[other_time.pk]),
    ):
        assert url in _text(response)
    assert "Ask to reschedule or cancel on the interview page" in page


def test_an_opportunity_with_nothing_asked_has_no_such_section(
    client: Client, engineer: Any, bank_profile: Profile, frozen: datetime
):
    candidacy = screening_candidacy(bank_profile)
    outreach = Outreach.objects.get(candidacy=candidacy)
    client.force_login(engineer)

    page = _text(client.get(reverse("hiring:opportunity", args=[outreach.pk])))

    assert "asks of you now" not in page


def test_engineers_never_see_scores_grades_or_the_teams_notes(
    client: Client, engineer: Any, bank_profile: Profile, frozen: datetime
):
    employer = EmployerFactory()
    candidacy = screening_candidacy(bank_profile, employer)
    assessment = assessment_for(candidacy, _at(2026, 3, 5, 12))
    Grade.objects.create(
        assessment=assessment,
        grader=employer,
        scores={"c1": {"score": 1, "evidence": "GRADER-EVIDENCE-NOTE"}},
        recommendation=-2,
        submitted_at=NOW,
    )
    kit = make_kit(candidacy.company, [], notes="KIT-NOTES-FOR-INTERVIEWERS")
    interview = interview_for(candidacy, status="booked", starts_at=_at(2026, 3, 9, 10), kit=kit)
    Scorecard.objects.create(
        interview=interview,
        interviewer=employer,
        ratings={"system_design": {"score": 1, "evidence": "SCORECARD-EVIDENCE"}},
        recommendation=-2,
        submitted_at=NOW,
    )
    outreach = Outreach.objects.get(candidacy=candidacy)
    client.force_login(engineer)

    pages = [
        _text(client.get(LIST)),
        _text(client.get(reverse("hiring:opportunity", args=[outreach.pk]))),
    ]

    for page in pages:
        for secret in (
            "GRADER-EVIDENCE-NOTE",
            "KIT-NOTES-FOR-INTERVIEWERS",
            "SCORECARD-EVIDENCE",
            "Strong no",
            "System design",
            "Backend technical",
        ):
            assert secret not in page
    assert Interview.objects.get(pk=interview.pk).kit == kit
