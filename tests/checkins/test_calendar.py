"""The weekly call as a recurring .ics event: sent to both sides when the contract
starts, again when a new version changes the call (same UID, SEQUENCE = the version's
number), cancelled when a version removes it, cut short when notice ends the contract."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OutboundEmail, User
from hiring.contracts import events
from hiring.models import Contract
from tests.checkins.conftest import CALL, MAKER, OVERLAP, emails, ics_of, new_version, parse_ics

pytestmark = pytest.mark.django_db

START, END = date(2026, 3, 2), date(2026, 6, 30)


@pytest.fixture
def with_call(make_contract: MAKER) -> Contract:
    """A weekly call on Wednesdays at 15:00 Lahore time for 30 minutes, inside the
    14:00-18:00 overlap; the contract runs from Monday 2 March to 30 June 2026."""
    return make_contract(start_on=START, end_on=END, **CALL, **OVERLAP)


def _started(contract: Contract) -> None:
    events.contract_started.send(sender=Contract, contract=contract)


def _by_to() -> dict[str, str]:
    return {e.to: ics_of(e) for e in emails("call")}


def _sent(sequence: int, method: str = "REQUEST") -> list[OutboundEmail]:
    """The call emails of one sequence and method (their key says which)."""
    return [e for e in emails("call") if e.key.split(":")[2:4] == [str(sequence), method]]


def test_both_sides_get_a_weekly_recurring_event_when_the_contract_starts(
    with_call: Contract, owner: User, engineer: User
) -> None:
    _started(with_call)

    sent = _by_to()
    assert set(sent) == {engineer.email, owner.email}
    assert len(emails("call")) == 2
    calendar, event = parse_ics(sent[engineer.email])
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == f"contract-{with_call.pk}-weekly-call@karigar"
    assert int(event["sequence"]) == 1
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["WE"]
    # Until the end of the last day, Lahore time, written in UTC.
    assert rule["UNTIL"] == [datetime(2026, 6, 30, 18, 59, 59, tzinfo=UTC)]
    # The first Wednesday on or after the start, 15:00 in the contract's zone (10:00 UTC).
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Karachi" and start.replace(tzinfo=None) == datetime(
        2026, 3, 4, 15, 0
    )
    assert event.decoded("duration") == timedelta(minutes=30)
    assert "TZID:Asia/Karachi" in sent[engineer.email]  # its VTIMEZONE travels with it
    email = emails("call")[0]
    assert "Wednesdays, 15:00–15:30 Karachi time" in email.body_text


def test_a_started_contract_without_a_call_sends_no_event(make_contract: MAKER) -> None:
    _started(make_contract())

    assert emails("call") == []


def test_a_version_that_moves_the_call_sends_it_again_with_the_same_uid_and_a_higher_sequence(
    with_call: Contract, owner: User, engineer: User
) -> None:
    _started(with_call)
    first = parse_ics(_by_to()[engineer.email])[1]
    previous = with_call.current

    moved = new_version(with_call, owner, call_weekday=3, call_time=time(16, 0))
    events.version_in_force.send(
        sender=Contract, contract=with_call, version=moved, previous=previous
    )

    latest = _sent(2)
    assert {e.to for e in latest} == {engineer.email, owner.email}
    calendar, event = parse_ics(ics_of(latest[0]))
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == str(first["uid"])
    assert int(event["sequence"]) == 2 > int(first["sequence"])
    assert event["rrule"]["BYDAY"] == ["TH"]
    assert event.decoded("dtstart").replace(tzinfo=None) == datetime(2026, 3, 5, 16, 0)
    assert latest[0].subject.startswith("Moved")


def test_a_version_that_leaves_the_call_alone_sends_nothing(
    with_call: Contract, owner: User
) -> None:
    _started(with_call)
    previous = with_call.current
    raised = new_version(with_call, owner, hours_cap=35)

    events.version_in_force.send(
        sender=Contract, contract=with_call, version=raised, previous=previous
    )

    assert len(emails("call")) == 2


def test_a_version_that_changes_the_end_date_sends_the_new_until(
    with_call: Contract, owner: User, engineer: User
) -> None:
    _started(with_call)
    previous = with_call.current
    longer = new_version(with_call, owner, end_on=date(2026, 9, 30))

    events.version_in_force.send(
        sender=Contract, contract=with_call, version=longer, previous=previous
    )

    [email] = [e for e in _sent(2) if e.to == engineer.email]
    event = parse_ics(ics_of(email))[1]
    assert event["rrule"]["UNTIL"] == [datetime(2026, 9, 30, 18, 59, 59, tzinfo=UTC)]
    assert int(event["sequence"]) == 2


def test_a_version_that_removes_the_call_cancels_it(
    with_call: Contract, owner: User, engineer: User
) -> None:
    _started(with_call)
    previous = with_call.current
    gone = new_version(with_call, owner, call_weekday=None, call_time=None, call_minutes=None)

    events.version_in_force.send(
        sender=Contract, contract=with_call, version=gone, previous=previous
    )

    cancels = _sent(2, "CANCEL")
    assert {e.to for e in cancels} == {engineer.email, owner.email}
    calendar, event = parse_ics(ics_of(cancels[0]))
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == f"contract-{with_call.pk}-weekly-call@karigar"
    assert int(event["sequence"]) == 2
    assert cancels[0].subject.startswith("Cancelled")

    # Sent twice (a replayed signal), it is emailed once.
    events.version_in_force.send(
        sender=Contract, contract=with_call, version=gone, previous=previous
    )
    assert len(_sent(2, "CANCEL")) == 2


def test_an_open_ended_call_repeats_without_an_end(make_contract: MAKER, engineer: User) -> None:
    contract = make_contract(start_on=START, end_on=None, **CALL, **OVERLAP)
    _started(contract)

    event = parse_ics(_by_to()[engineer.email])[1]
    assert "UNTIL" not in event["rrule"]


def test_notice_that_ends_the_contract_early_cuts_the_series_short(
    with_call: Contract, engineer: User
) -> None:
    _started(with_call)
    Contract.objects.filter(pk=with_call.pk).update(
        status=Contract.Status.ENDED, ends_on=date(2026, 4, 15)
    )
    with_call.refresh_from_db()

    events.contract_ended.send(sender=Contract, contract=with_call)

    [email] = [e for e in _sent(2) if e.to == engineer.email]
    calendar, event = parse_ics(ics_of(email))
    assert str(calendar["method"]) == "REQUEST"
    assert event["rrule"]["UNTIL"] == [datetime(2026, 4, 15, 18, 59, 59, tzinfo=UTC)]
    assert int(event["sequence"]) == 2


def test_a_contract_that_ends_on_its_agreed_end_sends_nothing_more(with_call: Contract) -> None:
    _started(with_call)
    Contract.objects.filter(pk=with_call.pk).update(status=Contract.Status.ENDED)
    with_call.refresh_from_db()

    events.contract_ended.send(sender=Contract, contract=with_call)

    assert len(emails("call")) == 2


def test_a_call_in_london_keeps_its_local_hour_across_daylight_saving(
    make_contract: MAKER, engineer: User
) -> None:
    contract = make_contract(
        time_zone="Europe/London", start_on=START, end_on=END, **CALL, **OVERLAP
    )
    _started(contract)

    text = _by_to()[engineer.email]
    event = parse_ics(text)[1]
    assert "DTSTART;TZID=Europe/London:20260304T150000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text
    assert event["rrule"]["UNTIL"] == [datetime(2026, 6, 30, 22, 59, 59, tzinfo=UTC)]


def test_both_sides_download_the_same_event(
    client: Client, with_call: Contract, owner: User, engineer: User
) -> None:
    url = reverse("hiring:call_ics", args=[with_call.pk])
    uids = set()
    for user in (owner, engineer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert "attachment" in response["Content-Disposition"]
        calendar, event = parse_ics(response.content.decode())
        uids.add(str(event["uid"]))
        assert int(event["sequence"]) == 1 and event["rrule"]["BYDAY"] == ["WE"]
    assert len(uids) == 1


def test_no_call_no_download(client: Client, make_contract: MAKER, owner: User) -> None:
    contract = make_contract()
    client.force_login(owner)

    response = client.get(reverse("hiring:call_ics", args=[contract.pk]))

    assert response.status_code == 404
    assert "no weekly call" in response.content.decode()


def test_the_call_goes_to_calendars_only_once_the_contract_starts(
    client: Client, make_contract: MAKER, owner: User
) -> None:
    offered = make_contract(status="offered", **CALL, **OVERLAP)
    client.force_login(owner)

    assert client.get(reverse("hiring:call_ics", args=[offered.pk])).status_code == 409
