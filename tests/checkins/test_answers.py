"""Both sides answer a week's check-in on its page: the engineer first (the company is
emailed once), then the company its side (the engineer is emailed once). A second answer
is refused with 409, the wrong side with 403, bad input with 400: nothing saved."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.models import CheckIn, Contract
from tests.checkins.conftest import ANSWER, REPLY, due_checkin, emails

pytestmark = pytest.mark.django_db


def _urls(contract: Contract, checkin: CheckIn) -> tuple[str, str, str]:
    args = [contract.pk, checkin.pk]
    return (
        reverse("hiring:checkin_detail", args=args),
        reverse("hiring:checkin_answer", args=args),
        reverse("hiring:checkin_reply", args=args),
    )


def _text(response: Any) -> str:
    return unescape(response.content.decode())


def test_the_engineer_answers_and_the_company_is_emailed_once(
    client: Client, contract: Contract, engineer: User, owner: User, teammate: User
) -> None:
    checkin = due_checkin(contract)
    detail, answer, _ = _urls(contract, checkin)
    client.force_login(engineer)

    page = _text(client.get(detail))
    assert "Done since last time" in page and "How is it going?" in page

    response = client.post(answer, ANSWER)

    assert response.status_code == 302 and response["Location"] == detail
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.ANSWERED
    assert checkin.done == ANSWER["done"] and checkin.next == ANSWER["next"]
    assert str(checkin.hours) == "32.5" and checkin.health == "on_track"
    assert checkin.answered_by == engineer
    [told] = emails("checkin_answered")
    assert told.to == owner.email  # who drafted the contract, not every teammate
    assert ANSWER["done"] in told.body_text and "On track" in told.body_text
    assert detail in told.body_text

    page = _text(client.get(detail))
    assert ANSWER["done"] in page and "32.5" in page
    assert "will answer its side" in page


def test_a_second_answer_is_refused_and_changes_nothing(
    client: Client, contract: Contract, engineer: User
) -> None:
    checkin = due_checkin(contract)
    _, answer, _ = _urls(contract, checkin)
    client.force_login(engineer)
    client.post(answer, ANSWER)

    again = client.post(answer, {**ANSWER, "done": "Something else", "health": "off_track"})

    assert again.status_code == 409
    assert "already answered" in _text(again)
    checkin.refresh_from_db()
    assert checkin.done == ANSWER["done"] and checkin.health == "on_track"
    assert len(emails("checkin_answered")) == 1


def test_the_company_answers_its_side_and_the_engineer_is_emailed_once(
    client: Client, contract: Contract, engineer: User, teammate: User
) -> None:
    checkin = due_checkin(contract)
    detail, answer, reply = _urls(contract, checkin)
    client.force_login(engineer)
    client.post(answer, ANSWER)
    client.force_login(teammate)

    page = _text(client.get(detail))
    assert "Are the priorities clear?" in page and ANSWER["blockers"] in page

    response = client.post(reply, REPLY)

    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.priorities_clear == "partly" and checkin.feedback == REPLY["feedback"]
    assert checkin.company_blockers == REPLY["company_blockers"]
    assert checkin.company_by == teammate and checkin.company_answered_at is not None
    [told] = emails("checkin_reply")
    assert told.to == engineer.email and REPLY["feedback"] in told.body_text

    again = client.post(reply, {**REPLY, "feedback": "Changed my mind"})
    assert again.status_code == 409
    checkin.refresh_from_db()
    assert checkin.feedback == REPLY["feedback"]
    assert len(emails("checkin_reply")) == 1

    client.force_login(engineer)
    page = _text(client.get(detail))
    assert REPLY["feedback"] in page and "Partly" in page


def test_the_company_cannot_write_the_engineers_side(
    client: Client, contract: Contract, owner: User
) -> None:
    checkin = due_checkin(contract)
    detail, answer, _ = _urls(contract, checkin)
    client.force_login(owner)

    assert "Send the check-in" not in _text(client.get(detail))
    response = client.post(answer, ANSWER)

    assert response.status_code == 403
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.DUE and checkin.done == ""
    assert emails("checkin_answered") == []


def test_the_engineer_cannot_write_the_companys_side(
    client: Client, contract: Contract, engineer: User
) -> None:
    checkin = due_checkin(contract)
    _, answer, reply = _urls(contract, checkin)
    client.force_login(engineer)
    client.post(answer, ANSWER)

    response = client.post(reply, REPLY)

    assert response.status_code == 403
    checkin.refresh_from_db()
    assert checkin.company_answered_at is None and checkin.feedback == ""


def test_the_companys_side_opens_once_the_engineer_has_answered(
    client: Client, contract: Contract, owner: User
) -> None:
    checkin = due_checkin(contract)
    detail, _, reply = _urls(contract, checkin)
    client.force_login(owner)

    assert "Waiting for" in _text(client.get(detail))
    response = client.post(reply, REPLY)

    assert response.status_code == 409
    checkin.refresh_from_db()
    assert checkin.company_answered_at is None
    assert emails("checkin_reply") == []


def test_a_missed_check_in_can_still_be_answered_and_shows_as_late(
    client: Client, contract: Contract, engineer: User, owner: User
) -> None:
    checkin = due_checkin(contract, status=CheckIn.Status.MISSED)
    detail, answer, _ = _urls(contract, checkin)
    CheckIn.objects.filter(pk=checkin.pk).update(missed_at=checkin.due_at)
    client.force_login(engineer)

    assert "you can still answer it" in _text(client.get(detail))
    assert client.post(answer, ANSWER).status_code == 302

    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.ANSWERED and checkin.missed_at is not None
    assert len(emails("checkin_answered")) == 1
    client.force_login(owner)
    assert "Answered late" in _text(client.get(reverse("hiring:checkin_list", args=[contract.pk])))


def test_a_skipped_week_has_nothing_to_answer(
    client: Client, contract: Contract, engineer: User
) -> None:
    checkin = due_checkin(contract, status=CheckIn.Status.SKIPPED, skipped_side="company")
    _, answer, _ = _urls(contract, checkin)
    client.force_login(engineer)

    response = client.post(answer, ANSWER)

    assert response.status_code == 409
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.SKIPPED and checkin.done == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hours": "-1"}, "Hours cannot be negative."),
        ({"hours": "1000"}, "Hours must be at most 100 in a week"),
        ({"hours": "100.5"}, "Hours must be at most 100 in a week"),
        ({"hours": "abc"}, "Write the hours as a number"),
        ({"hours": "7.25"}, "Use at most one decimal"),
        ({"hours": "NaN"}, "Write the hours as a number"),
        ({"health": None}, "Say how it is going"),
        ({"health": "great"}, "Choose on track, at risk or off track."),
        ({"done": "   "}, "Write what you did since the last check-in."),
        ({"next": None}, "Write what comes next."),
        ({"done": "x" * 3001}, "at most 3000 characters"),
    ],
)
def test_bad_answers_are_refused_with_a_message_and_nothing_saved(
    client: Client, contract: Contract, engineer: User, change: dict[str, Any], message: str
) -> None:
    checkin = due_checkin(contract)
    _, answer, _ = _urls(contract, checkin)
    data = {k: v for k, v in {**ANSWER, **change}.items() if v is not None}
    client.force_login(engineer)

    response = client.post(answer, data)

    assert response.status_code == 400
    assert message in _text(response)
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.DUE and checkin.done == "" and checkin.hours is None
    assert emails("checkin_answered") == []


def test_hours_are_optional(client: Client, contract: Contract, engineer: User) -> None:
    checkin = due_checkin(contract)
    _, answer, _ = _urls(contract, checkin)
    client.force_login(engineer)

    assert client.post(answer, {**ANSWER, "hours": ""}).status_code == 302

    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.ANSWERED and checkin.hours is None


@pytest.mark.parametrize(
    "change",
    [{"priorities_clear": None}, {"priorities_clear": "maybe"}, {"feedback": ""}],
)
def test_bad_company_answers_are_refused_and_nothing_saved(
    client: Client, contract: Contract, engineer: User, owner: User, change: dict[str, Any]
) -> None:
    checkin = due_checkin(contract)
    _, answer, reply = _urls(contract, checkin)
    client.force_login(engineer)
    client.post(answer, ANSWER)
    client.force_login(owner)
    data = {k: v for k, v in {**REPLY, **change}.items() if v is not None}

    response = client.post(reply, data)

    assert response.status_code == 400
    checkin.refresh_from_db()
    assert checkin.company_answered_at is None and checkin.feedback == ""
    assert emails("checkin_reply") == []
