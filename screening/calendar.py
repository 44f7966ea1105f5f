"""Calendar invitations (``.ics``) for interviews, made with the icalendar package.

One event per interview for its whole life: the UID never changes and SEQUENCE is the
interview's own counter, raised by the services on every change sent to calendars (a
new time, a cancellation), so calendar programs replace the event instead of adding a
second one. Times are written in UTC (``DTSTART:...Z``): every calendar shows them in
its owner's zone, and no VTIMEZONE is needed.

The organiser is Karigar's own sending address on behalf of the company: the people
invited are the engineer and the interviewers, and replies to the invitation are not
asked for (RSVP=FALSE), since Karigar does not read them: picking or changing a time
happens on Karigar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from screening.models import Interview

PRODID = "-//Karigar//Interviews//EN"
FILENAME = "invite.ics"
CONTENT_TYPE = "text/calendar"


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    return address


def method_for(interview: Interview) -> str:
    """REQUEST while the interview stands (booked, or past and marked), CANCEL once
    cancelled."""
    return "CANCEL" if interview.status == Interview.Status.CANCELLED else "REQUEST"


def invitation(
    interview: Interview,
    *,
    company_name: str,
    engineer: Attendee,
    interviewers: Sequence[Attendee],
    stamp: datetime | None = None,
) -> str:
    """The interview as an ``.ics`` text. The interview must have a time (booked, or
    cancelled or missed after being booked)."""
    if interview.starts_at is None or interview.ends_at is None:
        raise ValueError("An interview without a time has no calendar event.")
    method = method_for(interview)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", interview.uid)
    event.add("sequence", interview.sequence)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", interview.starts_at.astimezone(UTC))
    event.add("dtend", interview.ends_at.astimezone(UTC))
    event.add(
        "summary",
        f"{interview.get_kind_display()}: {engineer.name} and {company_name}",
    )
    event.add(
        "description",
        f"{interview.get_kind_display()} of {engineer.name} with {company_name}, "
        f"arranged on Karigar.\nJoin: {interview.video_link}",
    )
    event.add("location", interview.video_link)
    event.add("url", interview.video_link)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organiser = _address(
        parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "hello@karigar.localhost",
        f"{company_name} via Karigar",
    )
    event.add("organizer", organiser)
    for person in (engineer, *interviewers):
        attendee = _address(person.email, person.name)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
        attendee.params["RSVP"] = vText("FALSE")
        event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical().decode()
