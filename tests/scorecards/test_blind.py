"""Blind scorecards: nobody on the team, owner included, reads another person's card on a
candidacy before the rule allows it, by any URL (the summary, the candidacy page, the
scorecard page). Engineers and other companies never reach a scorecard at all.

The cast: ``teammate`` (A) and ``second`` (B) interview the engineer in the technical
interview; ``third`` (C) is on the final interview only; the ``owner`` scheduled both
and interviews nobody. Each card's evidence names its author (``MATE-EVIDENCE-…``), so a
page shows a card's contents exactly when it contains that text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from screening.models import Candidacy, Interview, InterviewKind, Recommendation
from screening.selectors.scorecards import scorecards_for
from tests.scorecards.conftest import make_interview, submit

pytestmark = pytest.mark.django_db

A_SAYS = "MATE-EVIDENCE"  # the teammate's (A's) evidence
B_SAYS = "SECOND-EVIDENCE"
C_SAYS = "THIRD-EVIDENCE"


def summary(client: Client, candidacy: Candidacy) -> str:
    response = client.get(reverse("screening:scorecards", args=[candidacy.pk]))
    assert response.status_code == 200
    return response.content.decode()


def candidacy_page(client: Client, candidacy: Candidacy) -> str:
    response = client.get(reverse("screening:candidacy", args=[candidacy.pk]))
    assert response.status_code == 200
    return response.content.decode()


def scorecard_page(client: Client, interview: Interview) -> str:
    response = client.get(reverse("screening:scorecard", args=[interview.pk]))
    assert response.status_code == 200
    return response.content.decode()


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def technical(candidacy: Candidacy, teammate: User, second: User) -> Interview:
    return make_interview(candidacy, [teammate, second])


@pytest.fixture
def final(candidacy: Candidacy, third: User) -> Interview:
    return make_interview(candidacy, [third], kind=InterviewKind.FINAL)


# The recommendation shows on the candidacy page's panel (no evidence there): B's is the
# only "Strong no" given, shown as a badge or in the summary's table.
B_VERDICT = re.compile(r">Strong no</(span|strong)>")


def says_verdict(page: str) -> bool:
    return B_VERDICT.search(page) is not None


def b_submits(technical: Interview, second: User) -> None:
    submit(technical, second, recommendation=Recommendation.STRONG_NO)


def test_an_interviewer_reads_nobody_elses_card_before_submitting_their_own(
    client: Client, candidacy: Candidacy, technical: Interview, teammate: User, second: User
) -> None:
    b_submits(technical, second)
    as_user(client, teammate)

    for page in (
        summary(client, candidacy),
        candidacy_page(client, candidacy),
        scorecard_page(client, technical),
    ):
        assert B_SAYS not in page
        assert not says_verdict(page)
        assert "Bilal Second" in page  # who is on it and that their card is in: yes
        assert "Submitted" in page
    assert "Submit your own scorecard to read the others" in summary(client, candidacy)


def test_an_interviewer_reads_the_others_once_they_submit(
    client: Client, candidacy: Candidacy, technical: Interview, teammate: User, second: User
) -> None:
    b_submits(technical, second)
    submit(technical, teammate)
    as_user(client, teammate)

    assert B_SAYS in summary(client, candidacy)
    assert says_verdict(candidacy_page(client, candidacy))
    assert B_SAYS in scorecard_page(client, technical)


def test_the_first_to_submit_reads_the_second_card_only_once_it_is_in(
    client: Client, candidacy: Candidacy, technical: Interview, teammate: User, second: User
) -> None:
    b_submits(technical, second)
    as_user(client, second)
    page = summary(client, candidacy)
    assert B_SAYS in page  # their own card
    assert A_SAYS not in page and "Still to submit" in page

    submit(technical, teammate)

    assert A_SAYS in summary(client, candidacy)
    assert A_SAYS in scorecard_page(client, technical)


def test_the_owner_who_interviewed_nobody_waits_for_every_card_of_the_interview(
    client: Client,
    candidacy: Candidacy,
    technical: Interview,
    owner: User,
    teammate: User,
    second: User,
) -> None:
    b_submits(technical, second)
    as_user(client, owner)
    for page in (summary(client, candidacy), candidacy_page(client, candidacy)):
        assert B_SAYS not in page and not says_verdict(page)
        assert "Bilal Second" in page
    assert "1 of 2 in so far" in summary(client, candidacy)
    # Not an interviewer: no scorecard page of theirs to open.
    assert client.get(reverse("screening:scorecard", args=[technical.pk])).status_code == 404

    submit(technical, teammate)

    page = summary(client, candidacy)
    assert A_SAYS in page and B_SAYS in page
    assert says_verdict(candidacy_page(client, candidacy))


def test_a_teammate_owing_the_final_interview_cannot_read_the_technical_cards(
    client: Client,
    candidacy: Candidacy,
    technical: Interview,
    final: Interview,
    teammate: User,
    second: User,
    third: User,
) -> None:
    b_submits(technical, second)
    submit(technical, teammate)
    as_user(client, third)

    for page in (summary(client, candidacy), candidacy_page(client, candidacy)):
        assert A_SAYS not in page and B_SAYS not in page and not says_verdict(page)
    assert "You still owe a scorecard on another interview" in summary(client, candidacy)
    # The technical interview's scorecard page is for its interviewers only.
    assert client.get(reverse("screening:scorecard", args=[technical.pk])).status_code == 404
    # Their own page (the final interview) shows none of the technical cards either.
    page = scorecard_page(client, final)
    assert A_SAYS not in page and B_SAYS not in page

    submit(final, third)

    page = summary(client, candidacy)
    assert A_SAYS in page and B_SAYS in page and C_SAYS in page


def test_a_proposed_interview_already_holds_its_interviewer_back(
    client: Client, candidacy: Candidacy, technical: Interview, teammate: User, second: User
) -> None:
    """Owing a card starts when one is scheduled, before a time is picked."""
    b_submits(technical, second)
    submit(technical, teammate)
    make_interview(
        candidacy, [teammate], kind=InterviewKind.FINAL, status=Interview.Status.PROPOSED
    )
    as_user(client, teammate)

    assert B_SAYS not in summary(client, candidacy)
    assert B_SAYS not in scorecard_page(client, technical)
    assert not says_verdict(candidacy_page(client, candidacy))


def test_a_cancelled_or_no_show_interview_holds_nobody_back(
    client: Client, candidacy: Candidacy, technical: Interview, teammate: User, second: User
) -> None:
    b_submits(technical, second)
    submit(technical, teammate)
    make_interview(
        candidacy, [teammate], kind=InterviewKind.FINAL, status=Interview.Status.CANCELLED
    )
    make_interview(candidacy, [teammate], kind=InterviewKind.FINAL, status="no_show")
    as_user(client, teammate)

    page = summary(client, candidacy)
    assert B_SAYS in page
    assert "Cancelled" not in page  # a cancelled interview is left out
    assert "Engineer did not show" in page


def test_a_no_show_opens_the_cards_that_were_written(
    client: Client, candidacy: Candidacy, technical: Interview, owner: User, second: User
) -> None:
    b_submits(technical, second)
    Interview.objects.filter(pk=technical.pk).update(status=Interview.Status.NO_SHOW)
    as_user(client, owner)
    page = summary(client, candidacy)
    assert B_SAYS in page
    assert "in so far" not in page and "Still to submit" not in page


def test_hidden_cards_leave_the_selector_without_their_contents(
    candidacy: Candidacy, technical: Interview, owner: User, teammate: User, second: User
) -> None:
    b_submits(technical, second)

    for viewer in (owner, teammate):
        (cards,) = scorecards_for(viewer=viewer, candidacy=candidacy)
        theirs = next(s for s in cards.seats if s.interviewer == second)
        assert theirs.submitted and not theirs.readable
        assert theirs.ratings == {} and theirs.recommendation is None
        assert cards.shown == []
        assert cards.unrated == []  # nothing said of what nobody rated before all are in

    (cards,) = scorecards_for(viewer=second, candidacy=candidacy)
    assert cards.mine is not None and cards.mine.ratings  # one's own card, always


ENGINEER_URLS: dict[str, Callable[[Candidacy, Interview], str]] = {
    "summary": lambda c, i: reverse("screening:scorecards", args=[c.pk]),
    "candidacy": lambda c, i: reverse("screening:candidacy", args=[c.pk]),
    "scorecard": lambda c, i: reverse("screening:scorecard", args=[i.pk]),
}


@pytest.mark.parametrize("url", ENGINEER_URLS)
def test_the_engineer_reaches_no_scorecard_url(
    client: Client,
    candidacy: Candidacy,
    technical: Interview,
    teammate: User,
    second: User,
    engineer: User,
    url: str,
) -> None:
    b_submits(technical, second)
    submit(technical, teammate)
    as_user(client, engineer)

    address = ENGINEER_URLS[url](candidacy, technical)
    assert client.get(address).status_code == 404
    assert client.post(address, {"recommendation": "2"}).status_code in (404, 405)


def test_the_engineers_own_pages_say_nothing_of_scores(
    client: Client,
    candidacy: Candidacy,
    technical: Interview,
    teammate: User,
    second: User,
    engineer: User,
) -> None:
    b_submits(technical, second)
    submit(technical, teammate)
    as_user(client, engineer)
    page = client.get(reverse("hiring:opportunities")).content.decode()
    assert "EVIDENCE" not in page and not says_verdict(page) and "Scorecard" not in page


@pytest.mark.parametrize("url", ENGINEER_URLS)
def test_another_company_reaches_no_scorecard_url(
    client: Client,
    candidacy: Candidacy,
    technical: Interview,
    teammate: User,
    second: User,
    outsider: User,
    url: str,
) -> None:
    b_submits(technical, second)
    submit(technical, teammate)
    as_user(client, outsider)
    assert client.get(ENGINEER_URLS[url](candidacy, technical)).status_code == 404


def test_a_visitor_is_sent_to_log_in(client: Client, technical: Interview) -> None:
    response = client.get(reverse("screening:scorecard", args=[technical.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
