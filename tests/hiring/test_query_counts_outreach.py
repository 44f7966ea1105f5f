"""The outreach pages run a fixed number of queries, however many rows they show."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hiring.models import MessageTemplate
from tests.conftest import AssertQueries
from tests.factories import BriefFactory, EmployerFactory, candidacy_in, outreach_sent

pytestmark = pytest.mark.django_db


def _more_outreach(profile: Any, count: int) -> None:
    for _ in range(count):
        employer = EmployerFactory()
        brief = BriefFactory(company=employer.membership.company, created_by=employer)
        outreach_sent(candidacy_in(brief, profile, user=employer), sender=employer)


# user, the outreach list, what the companies ask now (screening's assessments, its
# interviews), the header's unread count (sessions live in the cache)
OPPORTUNITIES = 5


@pytest.mark.parametrize("extra", [0, 4])
def test_opportunities_runs_a_fixed_number_of_queries(
    client: Client,
    engineer: Any,
    outreach_waiting: Any,
    assert_queries: AssertQueries,
    extra: int,
):
    _more_outreach(outreach_waiting.profile, extra)
    client.force_login(engineer)

    with assert_queries(OPPORTUNITIES):
        response = client.get(reverse("hiring:opportunities"))

    rows = re.findall(r'href="/opportunities/\d+/"', response.content.decode())
    assert len(rows) == 1 + extra


# user, the outreach, mark seen, mark the thread read, what the company asks now
# (assessments, interviews), the header's unread count
OPPORTUNITY = 7


def test_an_opportunity_runs_a_fixed_number_of_queries(
    client: Client, engineer: Any, outreach_waiting: Any, assert_queries: AssertQueries
):
    client.force_login(engineer)

    with assert_queries(OPPORTUNITY):
        client.get(reverse("hiring:opportunity", args=[outreach_waiting.pk]))


# user, the candidacy, the blocker's four checks (held, declined, waiting, listed),
# the templates, the header's unread Messages count
OUTREACH_FORM = 8


@pytest.mark.parametrize("templates", [1, 5])
def test_the_outreach_form_runs_a_fixed_number_of_queries(
    client: Client,
    owner: Any,
    outreach_candidacy: Any,
    assert_queries: AssertQueries,
    templates: int,
):
    for n in range(templates):
        MessageTemplate.objects.create(
            company=outreach_candidacy.company, name=f"Template {n}", body="Hi {first_name}"
        )
    client.force_login(owner)

    with assert_queries(OUTREACH_FORM):
        client.get(reverse("hiring:outreach_new", args=[outreach_candidacy.pk]))


# user, membership, the templates with their authors, the header's unread Messages count
TEMPLATES = 4


@pytest.mark.parametrize("templates", [1, 5])
def test_the_template_list_runs_a_fixed_number_of_queries(
    client: Client, owner: Any, teammate: Any, assert_queries: AssertQueries, templates: int
):
    for n in range(templates):
        MessageTemplate.objects.create(
            company=owner.membership.company, name=f"T{n}", body="Hi", created_by=teammate
        )
    client.force_login(owner)

    with assert_queries(TEMPLATES):
        client.get(reverse("hiring:template_list"))


# user, profile, the consents with their companies, the header's unread count
ACCESS = 4


@pytest.mark.parametrize("companies", [1, 4])
def test_contact_access_runs_a_fixed_number_of_queries(
    client: Client,
    engineer: Any,
    outreach_profile: Any,
    assert_queries: AssertQueries,
    companies: int,
):
    from candidates.models import ContactConsent

    for _ in range(companies):
        ContactConsent.objects.create(
            profile=outreach_profile, company=EmployerFactory().membership.company
        )
    client.force_login(engineer)

    with assert_queries(ACCESS):
        client.get(reverse("candidates:access"))
