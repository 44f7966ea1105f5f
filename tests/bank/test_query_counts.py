"""The bank's, kits' and working-hours pages, and the engineer's Opportunities with what
companies ask, run a fixed number of queries however many rows they show."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hiring.models import Outreach
from screening.models import BriefKit, Focus, Question
from tests.bank.conftest import assessment_for, interview_for, make_kit, screening_candidacy
from tests.conftest import AssertQueries
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


def _own_questions(company: Any, count: int) -> list[Question]:
    return [
        Question.objects.create(
            company=company, text=f"Question {n}", focus=Focus.APIS, good_answer="Covers it."
        )
        for n in range(count)
    ]


# user, membership, the questions, the header's unread Messages count
QUESTIONS = 4


@pytest.mark.parametrize("count", [1, 6])
def test_the_bank_runs_a_fixed_number_of_queries(
    client: Client, owner: Any, assert_queries: AssertQueries, count: int
):
    _own_questions(owner.membership.company, count)
    client.force_login(owner)

    with assert_queries(QUESTIONS):
        response = client.get(reverse("screening:questions"), {"focus": "apis"})

    assert response.content.decode().count("Question ") >= count


# user, membership, the kits with their question counts, the briefs using them, the
# header's unread Messages count
KITS = 5


@pytest.mark.parametrize("count", [1, 4])
def test_the_kit_list_runs_a_fixed_number_of_queries(
    client: Client, owner: Any, assert_queries: AssertQueries, count: int
):
    company = owner.membership.company
    questions = _own_questions(company, 3)
    for n in range(count):
        kit = make_kit(company, questions, title=f"Kit {n}")
        brief = BriefFactory(company=company, created_by=owner)
        BriefKit.objects.create(brief=brief, kind="technical", kit=kit)
    client.force_login(owner)

    with assert_queries(KITS):
        client.get(reverse("screening:kits"))


# user, the kit, its questions, the bank to choose from, the header's unread count
KIT_EDIT = 5
# user, membership, the bank to choose from, the header's unread count
KIT_NEW = 4


@pytest.mark.parametrize("count", [1, 6])
def test_the_kit_pages_run_a_fixed_number_of_queries(
    client: Client, owner: Any, assert_queries: AssertQueries, count: int
):
    company = owner.membership.company
    kit = make_kit(company, _own_questions(company, count))
    client.force_login(owner)

    with assert_queries(KIT_EDIT):
        client.get(reverse("screening:kit_edit", args=[kit.pk]))
    with assert_queries(KIT_NEW):
        client.get(reverse("screening:kit_new"))


# user, the brief, its kits, whether the company has kits, the technical and final
# kits to choose from, the header's unread count
BRIEF_KITS = 7


@pytest.mark.parametrize("count", [1, 4])
def test_the_brief_kits_page_runs_a_fixed_number_of_queries(
    client: Client, owner: Any, bank_brief: Any, assert_queries: AssertQueries, count: int
):
    company = owner.membership.company
    for n in range(count):
        make_kit(company, [], title=f"Technical {n}")
        make_kit(company, [], title=f"Final {n}", kind="final")
    BriefKit.objects.create(brief=bank_brief, kind="final", kit=make_kit(company, [], kind="final"))
    client.force_login(owner)

    with assert_queries(BRIEF_KITS):
        client.get(reverse("screening:brief_kits", args=[bank_brief.pk]))


# user, membership with its company, the header's unread count
WORKING_HOURS = 3


def test_the_working_hours_page_runs_a_fixed_number_of_queries(
    client: Client, teammate: Any, assert_queries: AssertQueries
):
    client.force_login(teammate)

    with assert_queries(WORKING_HOURS):
        client.get(reverse("accounts:working_hours"))


# The engineer's side: the same as tests/hiring/test_query_counts_outreach.py pins with
# every company asking something: user, the outreach list, assessments, interviews, the
# header's unread count.
OPPORTUNITIES = 5
# user, the outreach, mark seen, mark the thread read, assessments, interviews, the
# contracts of an accepted outreach (hiring.contracts links a sent one), unread
OPPORTUNITY = 8


def _asking(profile: Any) -> Any:
    """A company that sent an assessment, offered interview times and booked another."""
    soon = timezone.now() + timedelta(days=2)
    candidacy = screening_candidacy(profile)
    assessment_for(candidacy, soon)
    interview_for(candidacy, slots=[soon, soon + timedelta(hours=1)])
    interview_for(candidacy, status="booked", starts_at=soon + timedelta(days=1), kind="final")
    return candidacy


@pytest.mark.parametrize("companies", [1, 3])
def test_opportunities_with_asks_run_a_fixed_number_of_queries(
    client: Client,
    engineer: Any,
    bank_profile: Any,
    assert_queries: AssertQueries,
    companies: int,
):
    for _ in range(companies):
        _asking(bank_profile)
    client.force_login(engineer)

    with assert_queries(OPPORTUNITIES):
        response = client.get(reverse("hiring:opportunities"))

    page = response.content.decode()
    assert page.count("Assessment due") == companies
    assert page.count("Pick an interview time") == companies
    assert page.count("invite.ics") == companies


@pytest.mark.parametrize("companies", [1, 3])
def test_an_opportunity_with_asks_runs_a_fixed_number_of_queries(
    client: Client,
    engineer: Any,
    bank_profile: Any,
    assert_queries: AssertQueries,
    companies: int,
):
    candidacy = [_asking(bank_profile) for _ in range(companies)][0]
    outreach = Outreach.objects.get(candidacy=candidacy)
    client.force_login(engineer)

    with assert_queries(OPPORTUNITY):
        response = client.get(reverse("hiring:opportunity", args=[outreach.pk]))

    assert "asks of you now" in response.content.decode()
