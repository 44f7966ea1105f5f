"""The engineer's side: the offered times, picking one, asking for others, cancelling;
double booking never happens."""

from __future__ import annotations

import threading
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.errors import Refused
from accounts.models import OutboundEmail, User
from candidates.models import Profile
from screening.models import Candidacy, Interview, InterviewKit, InterviewSlot, Stage
from screening.selectors import interviews as selectors
from screening.services import candidacy_move
from screening.services import interviews as services
from tests.factories import BriefFactory, ProfileFactory, candidacy_in
from tests.interviews.conftest import (
    GOOD_ANSWER,
    KIT_NOTES,
    attendees,
    book,
    emails,
    free_starts,
    invitation_of,
    offer,
    parse_ics,
    spread,
)
from tests.screening.conftest import walk_to


def page(interview: Interview) -> str:
    return reverse("screening:my_interview", args=[interview.pk])


def pick(interview: Interview) -> str:
    return reverse("screening:my_interview_pick", args=[interview.pk])


@pytest.fixture
def in_london(profile: Profile) -> Profile:
    profile.time_zone = "Europe/London"
    profile.work_starts, profile.work_ends = time(8), time(17)
    profile.save()
    return profile


@pytest.fixture
def berlin_mate(teammate: User) -> User:
    membership = teammate.membership
    membership.time_zone = "Europe/Berlin"
    membership.save()
    return teammate


def second_engineer(owner: User) -> Candidacy:
    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    card = candidacy_in(brief, ProfileFactory(status="approved"), user=owner)
    return walk_to(card, Stage.INTERESTED, owner)


def test_the_engineer_sees_the_times_in_their_zone_with_the_companys_beside(
    client: Client,
    owner: User,
    engineer: User,
    in_london: Profile,
    candidacy: Candidacy,
    kit: InterviewKit,
) -> None:
    interview = offer(candidacy, owner, kit=kit)
    client.force_login(engineer)

    response = client.get(page(interview))

    assert response.status_code == 200
    slots = list(interview.slots.order_by("starts_at"))
    rows = [row for day in response.context["days"] for row in day.rows]
    assert [row.pk for row in rows] == [s.pk for s in slots]
    london, karachi = ZoneInfo("Europe/London"), ZoneInfo("Asia/Karachi")
    assert rows[0].text.startswith(f"{slots[0].starts_at.astimezone(london):%H:%M}–")
    assert rows[0].other.startswith(f"{slots[0].starts_at.astimezone(karachi):%H:%M}–")
    body = response.content.decode()
    assert f'name="slot" value="{slots[0].pk}"' in body
    assert "London" in body and "Karachi" in body
    # Nothing of the team's kit reaches the engineer.
    for secret in (KIT_NOTES, GOOD_ANSWER, kit.title, "Databases", "scorecard"):
        assert secret not in body


def test_picking_a_time_books_it_and_everyone_gets_the_invitation_in_their_zone(
    client: Client,
    owner: User,
    berlin_mate: User,
    engineer: User,
    candidacy: Candidacy,
) -> None:
    interview = offer(candidacy, owner, [owner, berlin_mate])
    slot = interview.slots.order_by("starts_at")[1]
    client.force_login(engineer)

    response = client.post(pick(interview), {"slot": slot.pk})

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.BOOKED
    assert (interview.starts_at, interview.ends_at) == (slot.starts_at, slot.ends_at)
    assert interview.sequence == 0
    assert not InterviewSlot.objects.filter(interview=interview).exists()
    booked = {email.to: email for email in emails("interview_booked")}
    assert set(booked) == {engineer.email, owner.email, berlin_mate.email}
    for to, zone in (
        (engineer.email, "Asia/Karachi"),
        (owner.email, "Asia/Karachi"),
        (berlin_mate.email, "Europe/Berlin"),
    ):
        text = selectors.span_text(interview.starts_at, interview.ends_at, zone)
        assert text in booked[to].body_text, to
        assert text in booked[to].subject
        calendar, event = parse_ics(invitation_of(booked[to]))
        assert str(calendar["method"]) == "REQUEST"
        assert str(event["uid"]) == interview.uid
        assert event.decoded("dtstart") == interview.starts_at
        assert attendees(event) == {engineer.email, owner.email, berlin_mate.email}
    assert "Berlin" in booked[berlin_mate.email].body_text
    # The team's email also gives the engineer's own time.
    karachi = selectors.span_text(interview.starts_at, interview.ends_at, "Asia/Karachi")
    assert karachi in booked[berlin_mate.email].body_text


@pytest.mark.parametrize("value", ["", "abc", "0", "-3", "99999999"])
def test_a_time_never_offered_is_refused(
    client: Client, owner: User, engineer: User, candidacy: Candidacy, value: str
) -> None:
    interview = offer(candidacy, owner)
    client.force_login(engineer)

    response = client.post(pick(interview), {"slot": value})

    assert response.status_code == 400
    assert "offered" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.PROPOSED
    assert interview.slots.count() == 3
    assert not emails("interview_booked")


def test_a_time_offered_on_another_interview_is_refused(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = offer(candidacy, owner)
    other = offer(second_engineer(owner), owner)
    client.force_login(engineer)

    response = client.post(pick(interview), {"slot": other.slots.first().pk})  # type: ignore[union-attr]

    assert response.status_code == 400
    assert "not one of the times offered to you" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.PROPOSED


def test_a_time_someone_was_booked_for_meanwhile_is_refused(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = offer(candidacy, owner)
    slot = interview.slots.order_by("starts_at")[0]
    rival = second_engineer(owner)
    overlapping = offer(rival, owner, starts=[slot.starts_at - timedelta(minutes=30)])
    book(overlapping, rival.profile.user)
    OutboundEmail.objects.all().delete()
    client.force_login(engineer)

    response = client.post(pick(interview), {"slot": slot.pk})

    assert response.status_code == 409
    assert "no longer free" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.PROPOSED and interview.starts_at is None
    assert interview.slots.count() == 3
    assert not OutboundEmail.objects.exists()
    # Another of the offered times is still free.
    later = interview.slots.order_by("starts_at")[2]
    assert client.post(pick(interview), {"slot": later.pk}).status_code == 302


def test_two_engineers_can_never_book_the_same_interviewer_at_once(
    owner: User, engineer: User, candidacy: Candidacy
) -> None:
    start = spread(free_starts(candidacy, [owner]), 1)[0]
    first = offer(candidacy, owner, starts=[start])
    rival = second_engineer(owner)
    second = offer(rival, owner, starts=[start])

    book(first, engineer)
    with pytest.raises(Refused) as refused:
        book(second, rival.profile.user)

    assert refused.value.status == 409
    second.refresh_from_db()
    assert second.status == Interview.Status.PROPOSED


@pytest.mark.django_db(transaction=True)
def test_two_bookings_racing_for_one_interviewer_book_only_one(owner: User) -> None:
    """Two engineers press "Book" at the same moment on two interviews that share an
    interviewer: the participants' rows are locked, so the second waits and is refused."""
    cards = [second_engineer(owner), second_engineer(owner)]
    start = spread(free_starts(cards[0], [owner]), 1)[0]
    interviews = [offer(card, owner, starts=[start]) for card in cards]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def run(interview: Interview, user: User) -> None:
        try:
            barrier.wait()
            book(interview, user)
            results.append("booked")
        except Refused as exc:
            results.append(str(exc.status))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, c.profile.user))
        for i, c in zip(interviews, cards, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(results) == ["409", "booked"]
    assert Interview.objects.filter(status=Interview.Status.BOOKED).count() == 1


def test_a_cancelled_or_passed_interview_cannot_be_booked(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = offer(candidacy, owner)
    first, second = interview.slots.order_by("starts_at")[:2]
    InterviewSlot.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    client.force_login(engineer)

    passed = client.post(pick(interview), {"slot": first.pk})
    assert passed.status_code == 409
    assert "has passed" in passed.content.decode()

    services.interview_cancel(interview=interview, by=owner, side="company", reason="Role filled")
    cancelled = client.post(pick(interview), {"slot": second.pk})
    assert cancelled.status_code == 409
    assert "cancelled" in cancelled.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED and interview.starts_at is None


def test_asking_for_other_times_tells_the_team(
    client: Client, owner: User, teammate: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = offer(candidacy, teammate, [teammate])
    client.force_login(engineer)
    others = reverse("screening:my_interview_others", args=[interview.pk])

    assert client.post(others, {"note": "  "}).status_code == 400
    assert not emails("interview_others")
    response = client.post(others, {"note": "Any morning next week, my time."})
    client.post(others, {"note": "Any morning next week, my time."})  # a double submit

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.others_asked_at is not None
    assert interview.others_note == "Any morning next week, my time."
    assert interview.status == Interview.Status.PROPOSED
    told = emails("interview_others")
    assert [e.to for e in told] == [teammate.email]
    assert "Any morning next week" in told[0].body_text
    assert reverse("screening:interview", args=[interview.pk]) in told[0].body_text


def test_a_booked_interview_moves_only_when_the_engineer_picks_a_new_time(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = book(offer(candidacy, owner), engineer)
    booked_at, uid = interview.starts_at, interview.uid
    Interview.objects.filter(pk=interview.pk).update(reminded_day_at=timezone.now())
    later = [
        s
        for s in free_starts(candidacy, [owner], exclude=interview.pk)
        if s > booked_at + timedelta(days=1)  # type: ignore[operator]
    ]
    services.interview_reoffer(
        interview=interview, by=owner, length_minutes=60, reason="A clash", starts=later[:2]
    )
    interview.refresh_from_db()
    # The booked time holds meanwhile.
    assert interview.status == Interview.Status.BOOKED
    assert interview.starts_at == booked_at and interview.sequence == 0
    [offered] = emails("interview_offered")[1:]
    assert "A clash" in offered.body_text and "holds" in offered.body_text

    client.force_login(engineer)
    response = client.post(pick(interview), {"slot": interview.slots.order_by("starts_at")[1].pk})

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.starts_at == later[1] and interview.uid == uid
    assert interview.sequence == 1
    assert interview.reminded_day_at is None and interview.reminded_hour_at is None
    moved = [e for e in emails("interview_booked") if e.subject.startswith("Moved")]
    assert {e.to for e in moved} == {engineer.email, owner.email}
    _, event = parse_ics(invitation_of(moved[0]))
    assert str(event["uid"]) == uid and int(event["sequence"]) == 1
    assert event.decoded("dtstart") == later[1]


def test_the_engineer_cancels_with_a_reason_and_everyone_gets_the_cancellation(
    client: Client, owner: User, teammate: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = book(offer(candidacy, owner, [owner, teammate]), engineer)
    client.force_login(engineer)
    url = reverse("screening:my_interview_cancel", args=[interview.pk])

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Say why the interview is cancelled." in refused.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.BOOKED

    response = client.post(url, {"reason": "I accepted another offer."})

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED
    assert interview.cancelled_by == "engineer" and interview.sequence == 1
    assert interview.cancel_reason == "I accepted another offer."
    cancelled = emails("interview_cancelled")
    assert {e.to for e in cancelled} == {engineer.email, owner.email, teammate.email}
    for email in cancelled:
        calendar, event = parse_ics(invitation_of(email))
        assert str(calendar["method"]) == "CANCEL"
        assert str(event["status"]) == "CANCELLED"
        assert int(event["sequence"]) == 1
        assert "I accepted another offer." in email.body_text
    again = client.post(url, {"reason": "Twice"})
    assert again.status_code == 409


def test_an_interview_of_a_closed_candidacy_cannot_be_booked_or_moved(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = offer(candidacy, owner)
    slot = interview.slots.first()
    assert slot is not None
    # Closing the card cancels its interviews (tests/qa/test_issue11_faults.py); a card
    # closed while its interview stayed open (closed before that, or by hand) is refused
    # all the same.
    Candidacy.objects.filter(pk=candidacy.pk).update(stage=Stage.NOT_A_FIT)
    client.force_login(engineer)

    response = client.post(pick(interview), {"slot": slot.pk})

    assert response.status_code == 409
    assert "not going ahead" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.PROPOSED
    with pytest.raises(Refused) as refused:
        services.interview_reoffer(
            interview=interview, by=owner, length_minutes=60, reason="", starts=[]
        )
    assert refused.value.status == 409


def test_closing_the_candidacy_cancels_its_interview_so_it_cannot_be_booked(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = offer(candidacy, owner)
    slot = interview.slots.first()
    assert slot is not None
    candidacy_move(candidacy=candidacy, to=Stage.NOT_A_FIT, by=owner, reason="filled")
    client.force_login(engineer)

    response = client.post(pick(interview), {"slot": slot.pk})

    assert response.status_code == 409
    assert "cancelled" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED
