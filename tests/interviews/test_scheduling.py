"""Scheduling: the form, finding free times, offering some, and every refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OutboundEmail, User
from screening.models import (
    BriefKit,
    Candidacy,
    Interview,
    InterviewKit,
    InterviewSlot,
    Scorecard,
    Stage,
    StageMove,
)
from screening.selectors import interviews as selectors
from tests.factories import BriefFactory, ProfileFactory, candidacy_in
from tests.interviews.conftest import LINK, book, emails, free_starts, offer, spread
from tests.screening.conftest import walk_to


def url(candidacy: Candidacy) -> str:
    return reverse("screening:interview_schedule", args=[candidacy.pk])


def data(interviewers: list[Any], *, starts: list[datetime] | None = None, **over: Any) -> dict:
    values: dict[str, Any] = {
        "kind": "technical",
        "kit": "",
        "interviewers": [getattr(i, "pk", i) for i in interviewers],
        "length": "60",
        "video_link": LINK,
    }
    if starts is not None:
        values["starts"] = [selectors.slot_value(s) for s in starts]
        values["offer"] = "1"
    else:
        values["find"] = "1"
    values.update(over)
    return {k: v for k, v in values.items() if v is not None}


def nothing_saved(candidacy: Candidacy, stage: str = Stage.INTERESTED) -> None:
    assert not Interview.objects.exists()
    assert not InterviewSlot.objects.exists()
    assert not Scorecard.objects.exists()
    candidacy.refresh_from_db()
    assert candidacy.stage == stage
    assert not OutboundEmail.objects.filter(template__startswith="email/interview").exists()


@pytest.fixture
def another(owner: User) -> Candidacy:
    """A second engineer, Interested, on another brief of the owner's company."""
    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    return walk_to(
        candidacy_in(brief, ProfileFactory(status="approved"), user=owner), Stage.INTERESTED, owner
    )


def test_the_page_shows_the_form_with_the_viewer_as_interviewer(
    client: Client, owner: User, teammate: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)
    response = client.get(url(candidacy))
    assert response.status_code == 200
    assert response.context["form"]["interviewers"].value() == [owner.pk]
    assert response.context["days"] is None
    body = response.content.decode()
    assert "Find times" in body and "Offer these times" not in body
    assert teammate.display_name in body


def test_find_times_groups_the_free_times_by_day_in_the_viewers_zone(
    client: Client, owner: User, teammate: User, candidacy: Candidacy
) -> None:
    membership = teammate.membership
    membership.time_zone = "Europe/Berlin"
    membership.work_starts = membership.work_ends = None
    membership.save()
    client.force_login(teammate)

    response = client.post(url(candidacy), data([teammate]))

    assert response.status_code == 200
    free = free_starts(candidacy, [teammate])
    days = response.context["days"]
    rows = [row for day in days for row in day.rows]
    assert [row.value for row in rows] == [selectors.slot_value(s) for s in free]
    berlin, karachi = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Karachi")
    first = free[0]
    assert days[0].label == selectors.day_text(first.astimezone(berlin))
    assert rows[0].text.startswith(f"{first.astimezone(berlin):%H:%M}–")
    assert rows[0].other.startswith(f"{first.astimezone(karachi):%H:%M}–")
    assert all(sum(row.checked for row in day.rows) == min(2, len(day.rows)) for day in days)
    body = response.content.decode()
    assert "Offer these times" in body and "Berlin" in body and "Karachi" in body
    assert not Interview.objects.exists()


def test_offering_creates_the_interview_and_tells_the_engineer(
    client: Client,
    owner: User,
    teammate: User,
    engineer: User,
    candidacy: Candidacy,
    kit: InterviewKit,
) -> None:
    client.force_login(owner)
    chosen = spread(free_starts(candidacy, [owner, teammate]), 3)

    response = client.post(
        url(candidacy), data([owner, teammate], starts=chosen, kit=kit.pk, length="45")
    )

    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:interview", args=[interview.pk])
    assert interview.status == Interview.Status.PROPOSED
    assert interview.kit == kit and interview.focus == ["apis", "databases"]
    assert interview.length_minutes == 45 and interview.video_link == LINK
    assert interview.created_by == owner and interview.sequence == 0
    assert interview.starts_at is None
    assert [(s.starts_at, s.ends_at) for s in interview.slots.all()] == [
        (s, s + timedelta(minutes=45)) for s in chosen
    ]
    places = Scorecard.objects.filter(interview=interview)
    assert {p.interviewer_id for p in places} == {owner.pk, teammate.pk}
    assert all(p.submitted_at is None for p in places)
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.INTERVIEW
    assert StageMove.objects.filter(
        candidacy=candidacy, from_stage=Stage.INTERESTED, to_stage=Stage.INTERVIEW, by=owner
    ).exists()
    [email] = emails("interview_offered")
    assert email.to == engineer.email
    assert reverse("screening:my_interview", args=[interview.pk]) in email.body_text
    karachi = chosen[0].astimezone(ZoneInfo("Asia/Karachi"))
    assert f"{selectors.day_text(karachi)} {karachi.year}, {karachi:%H:%M}" in email.body_text
    assert "Interviewer notes" not in email.body_text + email.body_html


@pytest.mark.parametrize("stage", [Stage.ASSESSMENT, Stage.INTERVIEW])
def test_an_offer_from_assessment_moves_the_card_and_from_interview_leaves_it(
    client: Client, owner: User, brief: Any, stage: Stage
) -> None:
    card = walk_to(candidacy_in(brief, ProfileFactory(status="approved"), user=owner), stage, owner)
    moves = StageMove.objects.filter(candidacy=card).count()
    client.force_login(owner)

    chosen = spread(free_starts(card, [owner]), 1)
    assert client.post(url(card), data([owner], starts=chosen)).status_code == 302

    card.refresh_from_db()
    assert card.stage == Stage.INTERVIEW
    added = StageMove.objects.filter(candidacy=card).count() - moves
    assert added == (1 if stage == Stage.ASSESSMENT else 0)


def test_the_kit_defaults_to_the_briefs_kit_for_that_kind(
    client: Client, owner: User, candidacy: Candidacy, kit: InterviewKit
) -> None:
    final = InterviewKit.objects.create(
        company=candidacy.company, title="Final", kind="final", focus=["communication"]
    )
    BriefKit.objects.create(brief=candidacy.brief, kind="final", kit=final)
    client.force_login(owner)
    chosen = spread(free_starts(candidacy, [owner]), 1)

    response = client.post(url(candidacy), data([owner], starts=chosen, kind="final"))

    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.kit == final and interview.focus == ["communication"]
    assert interview.kind == "final"


@pytest.mark.parametrize(
    "stage", [Stage.SOURCED, Stage.CONTACTED, Stage.OFFER, Stage.NOT_A_FIT, Stage.DECLINED]
)
def test_only_engineers_who_said_yes_can_be_scheduled(
    client: Client, owner: User, brief: Any, stage: Stage
) -> None:
    card = walk_to(candidacy_in(brief, ProfileFactory(status="approved"), user=owner), stage, owner)
    client.force_login(owner)
    chosen = spread(free_starts(card, [owner]), 1)

    assert client.get(url(card)).status_code == 409
    response = client.post(url(card), data([owner], starts=chosen))

    assert response.status_code == 409
    assert "accepted your outreach" in response.content.decode()
    nothing_saved(card, stage)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"interviewers": []}, "Choose at least one interviewer."),
        ({"length": "20"}, "Select a valid choice"),
        ({"length": "120"}, "Select a valid choice"),
        ({"video_link": "ftp://files.example.com/call"}, "starting with https:// or http://"),
        ({"video_link": "javascript:alert(1)"}, "starting with https:// or http://"),
        ({"video_link": ""}, "This field is required."),
        ({"kind": "lunch"}, "Select a valid choice"),
        ({"starts": []}, "Tick at least one time to offer."),
        ({"starts": ["next tuesday"]}, "not a time Karigar proposed"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client: Client,
    owner: User,
    candidacy: Candidacy,
    change: dict[str, Any],
    message: str,
) -> None:
    client.force_login(owner)
    chosen = spread(free_starts(candidacy, [owner]), 2)
    form = data([owner], starts=chosen)
    form.update(change)

    response = client.post(url(candidacy), form)

    assert response.status_code == 400
    assert message in response.content.decode()
    nothing_saved(candidacy)


def test_interviewers_and_kits_of_another_company_are_refused(
    client: Client, owner: User, outsider: User, candidacy: Candidacy
) -> None:
    their_kit = InterviewKit.objects.create(company=outsider.membership.company, title="Theirs")
    archived = InterviewKit.objects.create(
        company=candidacy.company, title="Old", archived_at=datetime.now(UTC)
    )
    client.force_login(owner)
    chosen = spread(free_starts(candidacy, [owner]), 1)

    for form, message in (
        (data([owner, outsider], starts=chosen), "Choose interviewers from your team."),
        (data([outsider], starts=chosen), "Choose interviewers from your team."),
        (data([owner], starts=chosen, kit=their_kit.pk), "interview kits"),
        (data([owner], starts=chosen, kit=archived.pk), "interview kits"),
        (data(["x"], starts=chosen), "Choose interviewers from your team."),
    ):
        response = client.post(url(candidacy), form)
        assert response.status_code == 400, form
        assert message in response.content.decode()
    nothing_saved(candidacy)


def test_more_than_twenty_times_are_refused(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)
    chosen = free_starts(candidacy, [owner], length=30)[:21]

    response = client.post(url(candidacy), data([owner], starts=chosen, length="30"))

    assert response.status_code == 400
    assert "at most 20 times" in response.content.decode()
    nothing_saved(candidacy)


def test_a_time_never_proposed_is_refused(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)
    free = free_starts(candidacy, [owner])
    saturday_night = free[-1] + timedelta(days=(5 - free[-1].weekday()) % 7 or 7)
    saturday_night = saturday_night.replace(hour=22, minute=0)
    off_grid = free[5] + timedelta(minutes=10)
    too_soon = free[0] - timedelta(days=1)

    for strange in (saturday_night, off_grid, too_soon):
        chosen = [*spread(free, 1), strange]
        form = data([owner], starts=chosen)
        if strange is off_grid:  # a time the page never writes
            form["starts"] = [selectors.slot_value(chosen[0]), off_grid.strftime("%Y-%m-%dT%H:%MZ")]
        response = client.post(url(candidacy), form)
        assert response.status_code == 400, strange
        assert "not among the times Karigar proposed" in response.content.decode()
    nothing_saved(candidacy)


def test_a_time_booked_meanwhile_is_no_longer_free(
    client: Client, owner: User, engineer: User, candidacy: Candidacy, another: Candidacy
) -> None:
    client.force_login(owner)
    chosen = spread(free_starts(candidacy, [owner]), 2)
    # Meanwhile the owner is booked with another engineer at the second time.
    other = offer(another, owner, starts=[chosen[1] + timedelta(minutes=30)])
    book(other, another.profile.user)
    OutboundEmail.objects.all().delete()

    response = client.post(url(candidacy), data([owner], starts=chosen))

    assert response.status_code == 409
    body = response.content.decode()
    assert "no longer free" in body
    shown = {row.value for day in response.context["days"] for row in day.rows}
    assert selectors.slot_value(chosen[0]) in shown
    assert selectors.slot_value(chosen[1]) not in shown
    assert Interview.objects.filter(candidacy=candidacy).count() == 0
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.INTERESTED
    assert not OutboundEmail.objects.exists()


def test_proposals_leave_out_the_interviewers_and_the_engineers_other_interviews(
    owner: User,
    teammate: User,
    outsider: User,
    engineer: User,
    candidacy: Candidacy,
    another: Candidacy,
) -> None:
    free = free_starts(candidacy, [owner, teammate])
    mine, theirs, engineers = spread(free, 3)
    # The teammate is booked with another engineer of the company...
    book(offer(another, owner, [teammate], starts=[mine]), another.profile.user)
    # ...and our engineer with another company.
    elsewhere = BriefFactory(company=outsider.membership.company, created_by=outsider)
    card = walk_to(
        candidacy_in(elsewhere, candidacy.profile, user=outsider), Stage.INTERESTED, outsider
    )
    book(offer(card, outsider, starts=[engineers]), engineer)

    with_teammate = set(free_starts(candidacy, [owner, teammate]))
    owner_alone = set(free_starts(candidacy, [owner]))

    assert mine not in with_teammate and engineers not in with_teammate
    assert theirs in with_teammate
    assert mine in owner_alone  # the owner is not busy then: only the teammate is
    assert engineers not in owner_alone
    # Half an hour either side overlaps a one-hour interview too.
    assert mine - timedelta(minutes=30) not in with_teammate
    assert mine + timedelta(minutes=30) not in with_teammate


def test_a_second_open_interview_of_the_same_kind_is_refused(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    offer(candidacy, owner)
    client.force_login(owner)
    chosen = spread(free_starts(candidacy, [owner]), 4)[3:]

    response = client.post(url(candidacy), data([owner], starts=chosen))

    assert response.status_code == 409
    assert "already has a technical interview" in response.content.decode()
    assert Interview.objects.count() == 1
    final = client.post(url(candidacy), data([owner], starts=chosen, kind="final"))
    assert final.status_code == 302
