"""The summary (every readable card side by side, what nobody rated, what to do next)
and the compact panel on the candidacy page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring import services as hiring
from screening.models import Candidacy, Interview, InterviewKind, Stage
from screening.services import candidacy_move
from tests.factories import BriefFactory, ProfileFactory, candidacy_in, outreach_sent
from tests.scorecards.conftest import make_interview, submit

pytestmark = pytest.mark.django_db


def summary_url(candidacy: Candidacy) -> str:
    return reverse("screening:scorecards", args=[candidacy.pk])


def text(html: str) -> str:
    """The page's words without tags, whitespace folded (for sentences across tags)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def technical(candidacy: Candidacy, teammate: User, second: User) -> Interview:
    return make_interview(candidacy, [teammate, second])


def test_it_shows_the_cards_side_by_side_and_names_what_nobody_rated(
    client: Client,
    candidacy: Candidacy,
    technical: Interview,
    owner: User,
    teammate: User,
    second: User,
) -> None:
    submit(technical, teammate, recommendation=2, skip=["security"])
    submit(technical, second, recommendation=-1, skip=["security", "databases"])
    client.force_login(owner)

    page = client.get(summary_url(candidacy)).content.decode()

    head = page[page.index("<thead>") : page.index("</thead>")]
    assert head.index(teammate.display_name) < head.index("Bilal Second")  # a column each
    for focus in ("System design", "Databases", "Security", "Recommendation"):
        assert f'<th scope="row">{focus}</th>' in page  # a row each
    assert "MATE-EVIDENCE-databases" in page and "SECOND-EVIDENCE-system_design" in page
    assert page.count("Not assessed") == 3  # databases once, security twice
    assert "Strong yes" in page and ">No<" in page
    assert "1 strong yes · 1 no" in page
    assert "Nobody rated: Security." in text(page)


def test_it_says_nothing_of_unrated_attributes_before_every_card_is_in(
    client: Client, candidacy: Candidacy, technical: Interview, teammate: User
) -> None:
    submit(technical, teammate, skip=["security"])
    client.force_login(teammate)
    page = text(client.get(summary_url(candidacy)).content.decode())
    assert "Nobody rated" not in page
    assert "MATE-EVIDENCE-databases" in page  # their own card, in the table


def test_every_attribute_rated_says_so(
    client: Client,
    candidacy: Candidacy,
    technical: Interview,
    owner: User,
    teammate: User,
    second: User,
) -> None:
    submit(technical, teammate)
    submit(technical, second, skip=["security"])
    client.force_login(owner)
    page = text(client.get(summary_url(candidacy)).content.decode())
    assert "Nobody rated" not in page
    assert "Every focus attribute of this interview was rated" in page


def test_each_interview_has_its_own_table(
    client: Client,
    candidacy: Candidacy,
    technical: Interview,
    owner: User,
    teammate: User,
    second: User,
    third: User,
) -> None:
    final = make_interview(candidacy, [third], kind=InterviewKind.FINAL)
    for interview, user in ((technical, teammate), (technical, second), (final, third)):
        submit(interview, user)
    client.force_login(owner)
    page = client.get(summary_url(candidacy)).content.decode()
    assert page.count("<table") == 2
    assert page.index("Technical interview: scores") < page.index("Final interview: scores")
    assert "THIRD-EVIDENCE-communication" in page


def test_the_next_step_links_and_the_move_form_come_back_here(
    client: Client, candidacy: Candidacy, technical: Interview, owner: User
) -> None:
    client.force_login(owner)
    page = client.get(summary_url(candidacy)).content.decode()
    schedule = reverse("screening:interview_schedule", args=[candidacy.pk])
    assert f'href="{schedule}"' in page
    assert f'action="{reverse("screening:move", args=[candidacy.pk])}"' in page
    assert f'name="next" value="{summary_url(candidacy)}"' in page

    response = client.post(
        reverse("screening:move", args=[candidacy.pk]),
        {"to": "offer", "expected": "interview", "next": summary_url(candidacy)},
    )

    assert response.status_code == 302 and response["Location"] == summary_url(candidacy)
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.OFFER


def test_closing_from_the_summary_tells_the_engineer_kindly_when_asked(
    client: Client, owner: User, teammate: User, django_capture_on_commit_callbacks: Any
) -> None:
    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    candidacy = candidacy_in(brief, ProfileFactory(status="approved"), user=owner)
    outreach = outreach_sent(candidacy, sender=owner)
    hiring.outreach_accept(outreach=outreach, user=outreach.profile.user)
    candidacy_move(candidacy=candidacy, to=Stage.INTERVIEW, by=owner)
    interview = make_interview(candidacy, [teammate])
    submit(interview, teammate, recommendation=-2)
    mail.outbox.clear()
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("screening:move", args=[candidacy.pk]),
            {
                "to": "not_a_fit",
                "expected": "interview",
                "reason": "skills",
                "note": "Weak on databases (internal).",
                "told_engineer": "on",
                "next": summary_url(candidacy),
            },
        )

    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.NOT_A_FIT
    (to_engineer,) = [m for m in mail.outbox if outreach.profile.user.email in m.to]
    assert "decided not to move forward" in to_engineer.body
    assert "databases" not in to_engineer.body and "EVIDENCE" not in to_engineer.body


def test_with_no_interviews_it_says_how_to_get_scorecards(
    client: Client, candidacy: Candidacy, owner: User
) -> None:
    client.force_login(owner)
    page = text(client.get(summary_url(candidacy)).content.decode())
    assert "No interviews yet" in page and "Schedule one" in page


def test_a_cancelled_interview_is_left_out(
    client: Client, candidacy: Candidacy, owner: User, teammate: User
) -> None:
    make_interview(candidacy, [teammate], status=Interview.Status.CANCELLED)
    client.force_login(owner)
    page = text(client.get(summary_url(candidacy)).content.decode())
    assert "No interviews yet" in page


def test_a_pending_interviewer_is_pointed_at_their_scorecard(
    client: Client, candidacy: Candidacy, technical: Interview, teammate: User
) -> None:
    client.force_login(teammate)
    own = reverse("screening:scorecard", args=[technical.pk])
    assert f'href="{own}"' in client.get(summary_url(candidacy)).content.decode()
    assert (
        f'href="{own}"'
        in client.get(reverse("screening:candidacy", args=[candidacy.pk])).content.decode()
    )

    submit(technical, teammate)

    assert f'href="{own}"' not in client.get(summary_url(candidacy)).content.decode()


def test_the_candidacy_panel_is_compact(
    client: Client,
    candidacy: Candidacy,
    technical: Interview,
    owner: User,
    teammate: User,
    second: User,
) -> None:
    submit(technical, teammate, recommendation=2)
    client.force_login(owner)
    page = client.get(reverse("screening:candidacy", args=[candidacy.pk])).content.decode()
    panel = page[page.index('id="scorecards-title"') :]
    panel = panel[: panel.index("</section>")]
    assert "Still to submit" in panel and "Submitted" in panel  # who is in, no contents
    assert "Strong yes" not in panel
    assert f'href="{summary_url(candidacy)}"' in panel

    submit(technical, second, recommendation=-1)

    page = client.get(reverse("screening:candidacy", args=[candidacy.pk])).content.decode()
    panel = page[page.index('id="scorecards-title"') :]
    panel = panel[: panel.index("</section>")]
    assert "Strong yes" in panel and ">No<" in panel
    assert "EVIDENCE" not in panel  # recommendations only; the evidence is on the summary


def test_the_candidacy_page_has_no_panel_without_interviews(
    client: Client, candidacy: Candidacy, owner: User
) -> None:
    client.force_login(owner)
    page = client.get(reverse("screening:candidacy", args=[candidacy.pk])).content.decode()
    assert 'id="scorecards-title"' not in page


def test_times_show_in_the_teammates_own_zone(
    client: Client, candidacy: Candidacy, technical: Interview, teammate: User
) -> None:
    teammate.membership.time_zone = "America/New_York"
    teammate.membership.save()
    client.force_login(teammate)
    page = client.get(summary_url(candidacy)).content.decode()
    assert "Times in America/New_York." in page
    assert technical.starts_at is not None
    from zoneinfo import ZoneInfo

    local = technical.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert local.strftime("%H:%M") in page
