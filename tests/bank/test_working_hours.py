"""Working hours for interviews: the company's weekend, a teammate's own working day
(each part empty = the company's) and an engineer's days off, validated."""

from __future__ import annotations

from datetime import time
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Weekend, WorkingDay
from candidates.models import Profile
from tests.candidates.test_editing import about_data

pytestmark = pytest.mark.django_db

HOURS = reverse("accounts:working_hours")
COMPANY = {
    "name": "Acme",
    "website": "https://acme.example",
    "city": "Lahore",
    "time_zone": "Asia/Karachi",
    "work_starts": "09:00",
    "work_ends": "18:00",
}


def _text(response: Any) -> str:
    return unescape(response.content.decode())


# The company ------------------------------------------------------------------------


def test_the_owner_sets_the_companys_weekend(client: Client, owner: Any):
    client.force_login(owner)

    response = client.post(reverse("accounts:company_edit"), {**COMPANY, "weekend": "fri_sat"})

    assert response.status_code == 302
    company = owner.membership.company
    company.refresh_from_db()
    assert company.weekend == Weekend.FRI_SAT
    assert company.working_day.weekend == frozenset({4, 5})
    assert "Friday and Saturday" in _text(client.get(reverse("accounts:dashboard")))


def test_a_company_form_without_the_weekend_keeps_it(client: Client, owner: Any):
    company = owner.membership.company
    company.weekend = Weekend.SUN
    company.save()
    client.force_login(owner)

    response = client.post(reverse("accounts:company_edit"), COMPANY)

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.weekend == Weekend.SUN


@pytest.mark.parametrize(
    "change, message",
    [
        ({"weekend": "every_day"}, "Select a valid choice"),
        ({"work_ends": "09:00"}, "The working day must start and end at different times."),
        ({"work_starts": ""}, "This field is required."),
    ],
)
def test_bad_company_hours_are_refused(
    client: Client, owner: Any, change: dict[str, str], message: str
):
    client.force_login(owner)

    response = client.post(reverse("accounts:company_edit"), {**COMPANY, **change})

    assert response.status_code == 400
    assert message in _text(response)
    company = owner.membership.company
    company.refresh_from_db()
    assert company.weekend == Weekend.SAT_SUN and company.work_ends == time(18)


def test_a_new_company_gets_the_weekend_it_was_given(client: Client):
    from tests.factories import UserFactory

    employer = UserFactory(role="employer")
    client.force_login(employer)

    client.post(reverse("accounts:company_create"), {**COMPANY, "weekend": "fri"})

    assert Membership.objects.get(user=employer).company.weekend == Weekend.FRI


# A teammate --------------------------------------------------------------------------


def test_a_teammate_sets_their_own_working_day(client: Client, teammate: Any):
    client.force_login(teammate)

    page = _text(client.get(HOURS))
    response = client.post(
        HOURS,
        {
            "time_zone": "Europe/Berlin",
            "work_starts": "08:30",
            "work_ends": "16:30",
            "weekend": "sat_sun",
        },
    )

    assert "As the company (Asia/Karachi)" in page
    assert response.status_code == 302
    membership = Membership.objects.get(user=teammate)
    assert membership.working_day == WorkingDay(
        "Europe/Berlin", time(8, 30), time(16, 30), frozenset({5, 6})
    )
    owner_day = Membership.objects.exclude(user=teammate).get().working_day
    assert owner_day.time_zone == "Asia/Karachi"  # the owner's day is untouched


def test_empty_parts_follow_the_company(client: Client, teammate: Any):
    membership = Membership.objects.get(user=teammate)
    membership.time_zone, membership.work_starts, membership.work_ends = (
        "Europe/Berlin",
        time(8),
        time(16),
    )
    membership.save()
    client.force_login(teammate)

    response = client.post(
        HOURS, {"time_zone": "", "work_starts": "", "work_ends": "", "weekend": ""}
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.time_zone, membership.work_starts, membership.weekend) == ("", None, "")
    company = membership.company
    assert membership.working_day == company.working_day


@pytest.mark.parametrize(
    "posted, field, message",
    [
        (
            {"work_starts": "09:00", "work_ends": ""},
            "work_ends",
            "Give both the start and the end of your day, or leave both empty.",
        ),
        (
            {"work_starts": "", "work_ends": "17:00"},
            "work_starts",
            "Give both the start and the end of your day, or leave both empty.",
        ),
        (
            {"work_starts": "09:00", "work_ends": "09:00"},
            "work_ends",
            "The working day must start and end at different times.",
        ),
        ({"work_starts": "25:00", "work_ends": "17:00"}, "work_starts", "Enter a valid time."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice"),
        ({"weekend": "tuesday"}, "weekend", "Select a valid choice"),
    ],
)
def test_bad_working_hours_are_refused_and_nothing_changes(
    client: Client, teammate: Any, posted: dict[str, str], field: str, message: str
):
    client.force_login(teammate)

    response = client.post(HOURS, {"time_zone": "Europe/Berlin", **posted})

    assert response.status_code == 400
    page = _text(response)
    assert message in page
    assert f'id="id_{field}_error"' in page
    membership = Membership.objects.get(user=teammate)
    assert (membership.time_zone, membership.work_starts, membership.work_ends) == ("", None, None)


def test_the_dashboard_says_whose_working_day_applies(client: Client, teammate: Any):
    client.force_login(teammate)

    before = _text(client.get(reverse("accounts:dashboard")))
    client.post(
        HOURS,
        {"time_zone": "Europe/Berlin", "work_starts": "08:00", "work_ends": "16:00"},
    )
    after = _text(client.get(reverse("accounts:dashboard")))

    assert "09:00 to 18:00, Asia/Karachi time (the company's)" in before
    assert HOURS in before
    assert "08:00 to 16:00, Europe/Berlin time." in after


def test_engineers_have_no_team_hours(client: Client, engineer: Any):
    client.force_login(engineer)

    assert client.get(HOURS).status_code == 403
    assert client.post(HOURS, {"time_zone": "Europe/Berlin"}).status_code == 403


# An engineer -------------------------------------------------------------------------


@pytest.fixture
def own_profile(engineer: Any) -> Profile:
    from tests.factories import ProfileFactory

    return ProfileFactory(user=engineer)


def test_an_engineer_sets_their_days_off(client: Client, engineer: Any, own_profile: Profile):
    client.force_login(engineer)

    page = _text(client.get(reverse("candidates:about")))
    response = client.post(reverse("candidates:about"), about_data(weekend="fri"))

    assert "Days off" in page
    assert response.status_code == 302
    own_profile.refresh_from_db()
    assert own_profile.weekend == Weekend.FRI
    assert own_profile.working_day.weekend == frozenset({4})


def test_a_profile_form_without_days_off_keeps_them(
    client: Client, engineer: Any, own_profile: Profile
):
    Profile.objects.filter(pk=own_profile.pk).update(weekend=Weekend.FRI_SAT)
    client.force_login(engineer)

    response = client.post(reverse("candidates:about"), about_data())

    assert response.status_code == 302
    own_profile.refresh_from_db()
    assert own_profile.weekend == Weekend.FRI_SAT


@pytest.mark.parametrize(
    "change, message",
    [
        ({"weekend": "always"}, "Select a valid choice"),
        ({"work_ends": "10:00"}, "The working day must start and end at different times."),
    ],
)
def test_bad_days_off_or_hours_are_refused(
    client: Client, engineer: Any, own_profile: Profile, change: dict[str, str], message: str
):
    client.force_login(engineer)

    response = client.post(reverse("candidates:about"), about_data(**{"weekend": "fri", **change}))

    assert response.status_code == 400
    assert message in _text(response)
    own_profile.refresh_from_db()
    assert own_profile.weekend == Weekend.SAT_SUN
