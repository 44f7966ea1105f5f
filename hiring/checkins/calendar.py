"""The weekly call as a recurring calendar event (``.ics``), made with the icalendar package
the way screening.calendar makes interviews.

One event per contract for its whole life: the UID never changes, and SEQUENCE is the
number of the version whose call it shows (one more once notice cut the series short),
so a calendar program replaces the series when the call moves instead of adding a
second one. Unlike an interview, the call repeats at a local time: DTSTART carries the
version's zone (TZID, with its VTIMEZONE), so every week's call keeps its local hour
across daylight saving. ``RRULE:FREQ=WEEKLY;BYDAY=..`` repeats it, until the last day
of the contract when there is one (UNTIL in UTC, as RFC 5545 asks with a TZID start).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from screening.calendar import Attendee

PRODID = "-//Karigar//Weekly call//EN"
FILENAME = "weekly-call.ics"
CONTENT_TYPE = "text/calendar"
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: The call's length when the terms give none.
DEFAULT_MINUTES = 30


@dataclass(frozen=True)
class Call:
    """What a calendar needs of the weekly call: the terms of one version, and the
    contract's last day as it stands (None: open-ended)."""

    contract_id: int
    title: str
    weekday: int
    at: time
    minutes: int
    time_zone: str
    start_on: date
    until: date | None
    sequence: int

    @property
    def uid(self) -> str:
        return f"contract-{self.contract_id}-weekly-call@karigar"

    def first_start(self) -> datetime:
        """The first call on or after the start date, at its local time."""
        ahead = (self.weekday - self.start_on.weekday()) % 7
        day = self.start_on + timedelta(days=ahead)
        return datetime.combine(day, self.at, tzinfo=ZoneInfo(self.time_zone))

    def next_start(self, after: datetime) -> datetime | None:
        """The next call after ``after`` (None: the series is over)."""
        zone = ZoneInfo(self.time_zone)
        day = after.astimezone(zone).date()
        day += timedelta(days=(self.weekday - day.weekday()) % 7)
        start = datetime.combine(day, self.at, tzinfo=zone)
        if start <= after:
            start = datetime.combine(day + timedelta(days=7), self.at, tzinfo=zone)
        start = max(start, self.first_start())
        if self.until is not None and start.date() > self.until:
            return None
        return start

    def until_utc(self) -> datetime | None:
        """The end of the last day, in the call's zone, as UTC."""
        if self.until is None:
            return None
        end = datetime.combine(self.until, time(23, 59, 59), tzinfo=ZoneInfo(self.time_zone))
        return end.astimezone(UTC)


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    return address


def invitation(
    call: Call,
    *,
    method: str,
    company_name: str,
    engineer: Attendee,
    team: Sequence[Attendee],
    stamp: datetime | None = None,
) -> str:
    """The weekly call as ``.ics`` text: ``method`` REQUEST, or CANCEL once the call
    was removed."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(method)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", call.uid)
    event.add("sequence", call.sequence)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", call.first_start())
    event.add("duration", timedelta(minutes=call.minutes))
    rule: dict[str, object] = {"freq": "weekly", "byday": [DAYS[call.weekday]]}
    until = call.until_utc()
    if until is not None:
        rule["until"] = until
    event.add("rrule", rule)
    event.add("summary", f"Weekly call: {engineer.name} and {company_name}")
    event.add(
        "description",
        f"The weekly call agreed in the contract “{call.title}” on Karigar. "
        "Use the team's usual video link, or the one in your conversation.",
    )
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organiser = _address(
        parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "hello@karigar.localhost",
        f"{company_name} via Karigar",
    )
    event.add("organizer", organiser)
    for person in (engineer, *team):
        attendee = _address(person.email, person.name)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
        attendee.params["RSVP"] = vText("FALSE")
        event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
