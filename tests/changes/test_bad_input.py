"""Bad input to a change: a clear message and a 4xx, nothing saved, never a 500."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from hiring.models import ChangeOrder, Contract, ContractVersion, Milestone
from tests.changes.conftest import _row, form_data, login, milestones_of, text, url

pytestmark = pytest.mark.django_db


def _nothing_saved(contract: Contract) -> None:
    assert not ChangeOrder.objects.exists()
    assert ContractVersion.objects.filter(contract=contract).count() == 1
    assert Milestone.objects.filter(version__contract=contract).count() == 2


def _case(name: str, build: Any, message: str) -> Any:
    return pytest.param(build, message, id=name)


def _first(contract: Contract) -> tuple[Any, Any]:
    first, second = milestones_of(contract.current)  # type: ignore[arg-type]
    return first, second


CASES = [
    _case(
        "negative rate",
        lambda c, v: form_data(v, rate="-6000"),
        "The rate must be more than zero.",
    ),
    _case("zero rate", lambda c, v: form_data(v, rate="0"), "The rate must be more than zero."),
    _case(
        "absurd rate",
        lambda c, v: form_data(v, rate="5000000"),
        "is more than Karigar accepts for this kind of contract",
    ),
    _case("garbage rate", lambda c, v: form_data(v, rate="six grand"), "Enter a number."),
    _case("rate NaN", lambda c, v: form_data(v, rate="NaN"), "Enter a number."),
    _case(
        "rate too long",
        lambda c, v: form_data(v, rate="1e400"),
        "Ensure that there are no more than 12 digits in total.",
    ),
    _case(
        "amounts not adding up",
        lambda c, v: form_data(v, rows=[_first(c)[0], {**_row(_first(c)[1]), "amount": "2500"}]),
        "The milestones add up to USD 5,500, but the fixed price is USD 6,000: make them match.",
    ),
    _case(
        "a due date before the start",
        lambda c, v: form_data(
            v,
            new=[
                {
                    "title": "Kick-off",
                    "acceptance_criteria": "Agreed plan.",
                    "due_on": v.start_on - timedelta(days=3),
                    "amount": "0",
                }
            ],
        ),
        "“Kick-off” is due before the contract starts.",
    ),
    _case(
        "a due date after the end",
        lambda c, v: form_data(
            v, rows=[_first(c)[0], {**_row(_first(c)[1]), "due_on": v.end_on + timedelta(days=1)}]
        ),
        "is due after the contract ends.",
    ),
    _case(
        "end date before the start",
        lambda c, v: form_data(v, end_on=v.start_on - timedelta(days=1)),
        "The end date must be after the start date.",
    ),
    _case(
        "end date before a milestone",
        lambda c, v: form_data(v, end_on=v.start_on + timedelta(days=45)),
        "“Milestone 2” is due after the contract ends.",
    ),
    _case(
        "garbage end date",
        lambda c, v: form_data(v, end_on="2026-02-31"),
        "Enter a valid date.",
    ),
    _case(
        "negative hours",
        lambda c, v: form_data(v, hours_cap="-3"),
        "Ensure this value is greater than or equal to 1.",
    ),
    _case("garbage hours", lambda c, v: form_data(v, hours_cap="lots"), "Enter a whole number."),
    _case("absurd hours", lambda c, v: form_data(v, hours_cap="1000"), "less than or equal to 80"),
    _case(
        "negative milestone amount",
        lambda c, v: form_data(v, rows=[_first(c)[0], {**_row(_first(c)[1]), "amount": "-1"}]),
        "Ensure this value is greater than or equal to 0.",
    ),
    _case(
        "a new milestone without criteria",
        lambda c, v: form_data(
            v, new=[{"title": "Extra", "due_on": v.end_on, "acceptance_criteria": ""}]
        ),
        "This field is required.",
    ),
    _case("no note", lambda c, v: form_data(v, rate="6000", note=""), "This field is required."),
    _case(
        "a milestone of another contract",
        lambda c, v: form_data(v, rows=[{**_row(_first(c)[0]), "key": "deadbeef"}]),
        "A milestone on the form is not part of this contract",
    ),
    _case(
        "the same milestone twice",
        lambda c, v: form_data(v, rows=[_first(c)[0], _first(c)[0]]),
        "A milestone appears twice on the form.",
    ),
    _case(
        "the scope emptied",
        lambda c, v: form_data(v, scope="   "),
        "This field is required.",
    ),
]


@pytest.mark.parametrize(("build", "message"), CASES)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    client: Client, contract: Contract, owner: User, build: Any, message: str
) -> None:
    v1 = contract.current
    login(client, owner)

    response = client.post(url("change_new", contract), build(contract, v1))

    assert response.status_code == 400, text(response)[:2000]
    assert message in text(response)
    _nothing_saved(contract)


def test_a_tampered_milestone_form_is_refused(
    client: Client, contract: Contract, owner: User
) -> None:
    v1 = contract.current
    assert v1 is not None
    login(client, owner)
    no_management = {
        k: v
        for k, v in form_data(v1, rate="6000").items()
        if not k.startswith("milestones-") or not k.endswith("FORMS")
    }
    too_many = form_data(v1) | {"milestones-TOTAL_FORMS": "100000"}

    for data in (no_management, too_many, {}):
        response = client.post(url("change_new", contract), data)
        assert response.status_code == 400
    _nothing_saved(contract)


def test_answers_take_only_posts(client: Client, contract: Contract, engineer: User) -> None:
    login(client, engineer)
    from tests.changes.conftest import a_change

    change = a_change(contract, contract.created_by)

    for name in ("change_accept", "change_reject", "change_withdraw"):
        assert client.get(url(name, contract, change)).status_code == 405
    assert (
        client.post(url("change_accept", contract, change), {"accept-note": "x" * 3000}).status_code
        == 400
    )
    change.refresh_from_db()
    assert change.status == "open"
