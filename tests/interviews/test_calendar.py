"""The .ics files: built with icalendar, parsed back here and checked field by field."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.test import Client
from django.urls import reverse

from accounts.models import User
from screening.models import Candidacy, Interview
from screening.services import interviews as services
from tests.interviews.conftest import (
    LINK,
    attendees,
    book,
    emails,
    free_starts,
    invitation_of,
    offer,
    parse_ics,
)


def downloads(client: Client, interview: Interview, owner: User, engineer: User) -> list[str]:
    client.force_login(owner)
    team = client.get(reverse("screening:interview_ics", args=[interview.pk]))
    client.force_login(engineer)
    mine = client.get(reverse("screening:my_interview_ics", args=[interview.pk]))
    for response in (team, mine):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"].startswith("attachment;")
    return [team.content.decode(), mine.content.decode()]


def test_the_invitation_carries_everything_a_calendar_needs(
    owner: User, teammate: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = book(offer(candidacy, owner, [owner, teammate], length=90), engineer)
    email = next(e for e in emails("interview_booked") if e.to == engineer.email)

    calendar, event = parse_ics(invitation_of(email))

    assert str(calendar["method"]) == "REQUEST"
    assert str(calendar["version"]) == "2.0"
    assert str(event["uid"]) == interview.uid and interview.uid.endswith("@karigar")
    assert int(event["sequence"]) == 0
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == interview.starts_at and end == interview.ends_at
    assert start.tzinfo is not None and start.utcoffset() == timedelta(0)
    assert end - start == timedelta(minutes=90)
    assert "Z" in event["dtstart"].to_ical().decode()  # written in UTC
    assert str(event["location"]) == LINK and str(event["url"]) == LINK
    assert str(event["status"]) == "CONFIRMED"
    organizer = event["organizer"]
    assert str(organizer).startswith("mailto:") and "via Karigar" in str(organizer.params["CN"])
    assert attendees(event) == {engineer.email, owner.email, teammate.email}
    assert "Technical interview" in str(event["summary"])


def test_team_and_engineer_download_the_same_event_and_it_follows_every_change(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = book(offer(candidacy, owner), engineer)
    uid, first = interview.uid, interview.starts_at

    for text in downloads(client, interview, owner, engineer):
        calendar, event = parse_ics(text)
        assert str(calendar["method"]) == "REQUEST"
        assert (str(event["uid"]), int(event["sequence"])) == (uid, 0)
        assert event.decoded("dtstart") == first

    # Rescheduled: same UID, the sequence goes up, the new time.
    later = [
        s
        for s in free_starts(candidacy, [owner], exclude=interview.pk)
        if s > first + timedelta(days=1)
    ]  # type: ignore[operator]
    services.interview_reoffer(
        interview=interview, by=owner, length_minutes=60, reason="Clash", starts=later[:1]
    )
    # Until the engineer picks, the calendar keeps the booked time.
    _, event = parse_ics(downloads(client, interview, owner, engineer)[1])
    assert int(event["sequence"]) == 0 and event.decoded("dtstart") == first
    interview = book(interview, engineer)
    for text in downloads(client, interview, owner, engineer):
        _, event = parse_ics(text)
        assert (str(event["uid"]), int(event["sequence"])) == (uid, 1)
        assert event.decoded("dtstart") == later[0].astimezone(UTC)

    # Cancelled: METHOD:CANCEL and STATUS:CANCELLED, the same UID, a higher sequence.
    services.interview_cancel(interview=interview, by=owner, side="company", reason="Filled")
    for text in downloads(client, interview, owner, engineer):
        calendar, event = parse_ics(text)
        assert str(calendar["method"]) == "CANCEL"
        assert str(event["status"]) == "CANCELLED"
        assert (str(event["uid"]), int(event["sequence"])) == (uid, 2)
    sequences = sorted(
        int(parse_ics(invitation_of(e))[1]["sequence"])
        for e in emails("interview_booked") + emails("interview_cancelled")
        if e.to == engineer.email
    )
    assert sequences == [0, 1, 2]


def test_an_interview_without_a_time_has_no_calendar_file(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = offer(candidacy, owner)
    client.force_login(engineer)
    response = client.get(reverse("screening:my_interview_ics", args=[interview.pk]))
    assert response.status_code == 409
    assert "no time yet" in response.content.decode()
