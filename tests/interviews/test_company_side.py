"""The team's page of an interview and its actions: new times, cancelling, no-shows."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from screening.models import Candidacy, Interview, InterviewKit
from screening.selectors import interviews as selectors
from tests.interviews.conftest import (
    GOOD_ANSWER,
    KIT_NOTES,
    book,
    emails,
    free_starts,
    invitation_of,
    offer,
    parse_ics,
)


def detail(interview: Interview) -> str:
    return reverse("screening:interview", args=[interview.pk])


def reoffer(interview: Interview) -> str:
    return reverse("screening:interview_reoffer", args=[interview.pk])


def begun(interview: Interview) -> None:
    """Move a booked interview to have begun ten minutes ago."""
    start = timezone.now() - timedelta(minutes=10)
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )


def test_the_page_shows_the_time_both_ways_the_people_and_the_kit(
    client: Client,
    owner: User,
    teammate: User,
    engineer: User,
    candidacy: Candidacy,
    kit: InterviewKit,
) -> None:
    membership = teammate.membership
    membership.time_zone = "America/New_York"  # an early bird: 06:00-15:00 in New York
    membership.work_starts, membership.work_ends = time(6), time(15)
    membership.save()
    interview = book(offer(candidacy, owner, [owner, teammate], kit=kit), engineer)
    client.force_login(teammate)

    response = client.get(detail(interview))

    assert response.status_code == 200
    body = response.content.decode()
    new_york = selectors.span_text(interview.starts_at, interview.ends_at, "America/New_York")  # type: ignore[arg-type]
    karachi = selectors.span_text(interview.starts_at, interview.ends_at, "Asia/Karachi")  # type: ignore[arg-type]
    assert new_york in body and karachi in body
    assert "New York" in body
    for name in (owner.display_name, teammate.display_name, engineer.display_name):
        assert name in body
    assert KIT_NOTES in body and GOOD_ANSWER in body
    assert "How would you make a payments API safe to retry?" in body
    assert body.index("safe to retry") < body.index("index make a query slower")
    assert reverse("screening:interview_ics", args=[interview.pk]) in body
    assert reverse("screening:interview_no_show", args=[interview.pk]) not in body


def test_a_proposed_interview_lists_the_times_offered(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    interview = offer(candidacy, owner)
    client.force_login(owner)

    response = client.get(detail(interview))

    rows = [row for day in response.context["days"] for row in day.rows]
    assert [row.pk for row in rows] == list(
        interview.slots.order_by("starts_at").values_list("pk", flat=True)
    )
    assert reverse("screening:interview_ics", args=[interview.pk]) not in response.content.decode()
    assert client.get(reverse("screening:interview_ics", args=[interview.pk])).status_code == 409


def test_new_times_for_a_proposed_interview_replace_the_old_ones(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = offer(candidacy, owner)
    interview.others_asked_at = timezone.now()
    interview.others_note = "Mornings please"
    interview.save()
    old = set(interview.slots.values_list("pk", flat=True))
    client.force_login(owner)

    assert client.get(reoffer(interview)).status_code == 200
    found = client.post(reoffer(interview), {"length": "30", "find": "1"})
    assert found.status_code == 200
    values = [row.value for day in found.context["days"] for row in day.rows]
    assert values == [
        selectors.slot_value(s)
        for s in free_starts(candidacy, [owner], length=30, exclude=interview.pk)
    ]

    response = client.post(
        reoffer(interview), {"length": "30", "starts": values[6:8], "offer": "1"}
    )

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.length_minutes == 30 and interview.others_asked_at is None
    assert interview.status == Interview.Status.PROPOSED
    slots = list(interview.slots.order_by("starts_at"))
    assert not old & {s.pk for s in slots}
    assert [selectors.slot_value(s.starts_at) for s in slots] == values[6:8]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=30) for s in slots)
    assert len(emails("interview_offered")) == 2


def test_moving_a_booked_interview_needs_a_reason(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = book(offer(candidacy, owner), engineer)
    client.force_login(owner)
    starts = [
        selectors.slot_value(s) for s in free_starts(candidacy, [owner], exclude=interview.pk)
    ][8:9]

    refused = client.post(reoffer(interview), {"length": "60", "starts": starts, "offer": "1"})

    assert refused.status_code == 400
    assert "Say why the time changes" in refused.content.decode()
    interview.refresh_from_db()
    assert not interview.slots.exists()
    response = client.post(
        reoffer(interview),
        {"length": "60", "starts": starts, "offer": "1", "reason": "Our lead is travelling."},
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.BOOKED and interview.slots.count() == 1


def test_the_team_cancels_a_booked_interview_and_everyone_gets_the_cancellation(
    client: Client, owner: User, teammate: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = book(offer(candidacy, owner, [teammate]), engineer)
    client.force_login(owner)
    url = reverse("screening:interview_cancel", args=[interview.pk])

    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 400
    assert "Say why the interview is cancelled." in refused.content.decode()

    assert client.post(url, {"reason": "The role is filled."}).status_code == 302

    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED and interview.cancelled_by == "company"
    assert interview.sequence == 1 and interview.cancelled_at is not None
    cancelled = {e.to: e for e in emails("interview_cancelled")}
    assert set(cancelled) == {engineer.email, teammate.email}
    calendar, event = parse_ics(invitation_of(cancelled[engineer.email]))
    assert str(calendar["method"]) == "CANCEL" and str(event["uid"]) == interview.uid
    assert "The role is filled." in cancelled[engineer.email].body_text
    assert client.post(url, {"reason": "again"}).status_code == 409
    assert client.get(reoffer(interview)).status_code == 409


def test_cancelling_before_a_time_is_booked_sends_no_calendar_file(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = offer(candidacy, owner)
    client.force_login(owner)

    client.post(reverse("screening:interview_cancel", args=[interview.pk]), {"reason": "Paused"})

    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED and not interview.slots.exists()
    to_engineer = [e for e in emails("interview_cancelled") if e.to == engineer.email]
    assert len(to_engineer) == 1 and to_engineer[0].attachments == []
    assert "Paused" in to_engineer[0].body_text


def test_only_an_interviewer_marks_a_no_show_and_only_once_it_has_begun(
    client: Client, owner: User, teammate: User, engineer: User, candidacy: Candidacy
) -> None:
    interview = book(offer(candidacy, owner, [teammate]), engineer)
    url = reverse("screening:interview_no_show", args=[interview.pk])
    client.force_login(teammate)

    early = client.post(url)
    assert early.status_code == 409
    assert "once the interview has begun" in early.content.decode()

    begun(interview)
    client.force_login(owner)  # on the team, not an interviewer
    assert client.post(url).status_code == 403
    interview.refresh_from_db()
    assert interview.status == Interview.Status.BOOKED

    client.force_login(teammate)
    page = client.get(detail(interview)).content.decode()
    assert url in page
    assert client.post(url).status_code == 302

    interview.refresh_from_db()
    assert interview.status == Interview.Status.NO_SHOW
    assert interview.no_show_by == teammate and interview.no_show_at is not None
    [email] = emails("interview_no_show")
    assert email.to == engineer.email
    assert client.post(url).status_code == 409


@pytest.mark.parametrize("action", ["cancel", "reoffer"])
def test_an_interview_that_has_begun_can_no_longer_be_moved_or_cancelled(
    client: Client, owner: User, engineer: User, candidacy: Candidacy, action: str
) -> None:
    interview = book(offer(candidacy, owner), engineer)
    begun(interview)
    client.force_login(owner)

    if action == "cancel":
        response = client.post(
            reverse("screening:interview_cancel", args=[interview.pk]), {"reason": "Late"}
        )
    else:
        response = client.get(reoffer(interview))

    assert response.status_code == 409
    interview.refresh_from_db()
    assert interview.status == Interview.Status.BOOKED


def test_the_candidacy_page_shows_its_interviews(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)
    page = reverse("screening:candidacy", args=[candidacy.pk])
    empty = client.get(page).content.decode()
    assert "No interviews yet" in empty
    assert reverse("screening:interview_schedule", args=[candidacy.pk]) in empty

    interview = book(offer(candidacy, owner), engineer)
    body = client.get(page).content.decode()

    assert reverse("screening:interview", args=[interview.pk]) in body
    assert "Technical interview" in body and "Booked" in body
    when = selectors.span_text(interview.starts_at, interview.ends_at, "Asia/Karachi")  # type: ignore[arg-type]
    assert when in body


def test_the_candidacy_panel_shows_times_in_the_viewers_own_zone(
    client: Client, owner: User, teammate: User, engineer: User, candidacy: Candidacy
) -> None:
    membership = teammate.membership
    membership.time_zone = "Europe/Berlin"
    membership.save()
    interview = book(offer(candidacy, owner), engineer)
    client.force_login(teammate)

    body = client.get(reverse("screening:candidacy", args=[candidacy.pk])).content.decode()

    when = selectors.span_text(interview.starts_at, interview.ends_at, "Europe/Berlin")  # type: ignore[arg-type]
    assert when in body and "Berlin" in body


def test_times_are_shown_in_each_readers_own_zone(owner: User, candidacy: Candidacy) -> None:
    """A guard on span_text itself: the same moment, two zones, two wall times."""
    start = free_starts(candidacy, [owner])[0]
    text = selectors.span_text(start, start + timedelta(hours=1), "America/New_York")
    assert f"{start.astimezone(ZoneInfo('America/New_York')):%H:%M}" in text
    assert text.endswith(("EST", "EDT"))
