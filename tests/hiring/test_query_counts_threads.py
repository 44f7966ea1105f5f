"""The inbox and a thread page run a fixed number of queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring import services
from hiring.models import Outreach
from tests.conftest import AssertQueries
from tests.factories import BriefFactory, ProfileFactory, candidacy_in, outreach_sent

pytestmark = pytest.mark.django_db

# The session is cached. The user, the company, the threads with their last lines, the
# header's unread count.
EMPLOYER_INBOX = 4
# The user, the threads with their last lines, the header's unread Opportunities count.
ENGINEER_INBOX = 3
# The user, the thread, marking it read, its lines, its outreach, the contact check, the
# header's unread count.
EMPLOYER_THREAD = 7
# The user, the thread, marking it read, its lines, its outreach, the header's unread
# Opportunities count.
ENGINEER_THREAD = 6


def company_threads(owner: User, count: int) -> list[Outreach]:
    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    sent = []
    for _ in range(count):
        outreach = outreach_sent(
            candidacy_in(brief, ProfileFactory(status="approved")), sender=owner
        )
        services.message_post(
            thread=outreach.thread, author=outreach.profile.user, side="engineer", body="Hello"
        )
        sent.append(outreach)
    return sent


def engineer_threads(engineer: User, count: int) -> list[Outreach]:
    profile = ProfileFactory(user=engineer, status="approved")
    sent = []
    for _ in range(count):
        outreach = outreach_sent(candidacy_in(BriefFactory(), profile))
        services.message_post(
            thread=outreach.thread, author=outreach.sender, side="company", body="Hello"
        )
        sent.append(outreach)
    return sent


@pytest.mark.parametrize("rows", [1, 5])
def test_the_employer_inbox_query_count_does_not_grow_with_threads(
    client: Client, owner: User, assert_queries: AssertQueries, rows: int
) -> None:
    company_threads(owner, rows)
    client.force_login(owner)
    with assert_queries(EMPLOYER_INBOX):
        response = client.get(reverse("hiring:inbox"))
    assert response.content.decode().count('class="entry thread-row') == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_the_engineer_inbox_query_count_does_not_grow_with_threads(
    client: Client, engineer: User, assert_queries: AssertQueries, rows: int
) -> None:
    engineer_threads(engineer, rows)
    client.force_login(engineer)
    with assert_queries(ENGINEER_INBOX):
        response = client.get(reverse("hiring:inbox"))
    assert response.content.decode().count('class="entry thread-row') == rows


def add_lines(outreach: Outreach, count: int) -> None:
    """``count`` lines in all: the outreach's event, then replies from both sides in turn."""
    for n in range(count - 1):
        if n % 2:
            who, side = outreach.sender, "company"
        else:
            who, side = outreach.profile.user, "engineer"
        services.message_post(thread=outreach.thread, author=who, side=side, body=f"Line {n}")


@pytest.mark.parametrize("lines", [2, 20])
def test_a_thread_page_query_count_does_not_grow_with_messages(
    client: Client, owner: User, assert_queries: AssertQueries, lines: int
) -> None:
    (outreach,) = company_threads(owner, 1)
    outreach.thread.messages.exclude(side="system").delete()
    add_lines(outreach, lines)
    url = reverse("hiring:thread", args=[outreach.thread_id])

    client.force_login(owner)
    with assert_queries(EMPLOYER_THREAD):
        page = client.get(url).content.decode()
    assert page.count('<li class="thread-') == lines

    client.force_login(outreach.profile.user)
    with assert_queries(ENGINEER_THREAD):
        page = client.get(url).content.decode()
    assert page.count('<li class="thread-') == lines
