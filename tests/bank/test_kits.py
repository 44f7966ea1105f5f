"""Interview kits: questions from the bank in a numbered order, the focus attributes to
rate, notes; another company's kit or question answers 404 or 400; archiving."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from screening.models import (
    BriefKit,
    Focus,
    Interview,
    InterviewKind,
    InterviewKit,
    KitQuestion,
    Question,
)
from tests.bank.conftest import GUIDE_QUESTIONS, interview_for, make_kit, screening_candidacy

pytestmark = pytest.mark.django_db

NEW = reverse("screening:kit_new")


def _text(response: Any) -> str:
    return unescape(response.content.decode())


def _starters(*texts: str) -> list[Question]:
    by_text = {q.text: q for q in Question.objects.filter(company__isnull=True)}
    return [by_text[t] for t in texts]


def _post(chosen: dict[Question, int | str | None], /, **fields: Any) -> dict[str, Any]:
    """The kit form as a browser sends it: ticked questions with their numbers;
    ``fields`` replaces any field (``questions=[...]`` the ticked ids)."""
    data: dict[str, Any] = {
        "title": "Backend technical",
        "kind": InterviewKind.TECHNICAL,
        "focus": [Focus.SYSTEM_DESIGN, Focus.DATABASES],
        "notes": "Keep it to 45 minutes; skip Docker for juniors.",
        "questions": [q.pk for q in chosen],
    }
    for question, position in chosen.items():
        data[f"position_{question.pk}"] = "" if position is None else position
    data.update(fields)
    return data


def _order(kit: InterviewKit) -> list[int]:
    return list(kit.kit_questions.values_list("question_id", flat=True))


def test_it_makes_a_kit_with_questions_in_the_numbered_order(
    client: Client, owner: Any, bank_question: Question
):
    first, second = _starters(GUIDE_QUESTIONS[1], GUIDE_QUESTIONS[0])
    client.force_login(owner)

    response = client.post(NEW, _post({bank_question: 3, first: 1, second: 2}))

    assert response.status_code == 302
    kit = InterviewKit.objects.get(company=owner.membership.company)
    assert kit.title == "Backend technical"
    assert kit.kind == InterviewKind.TECHNICAL
    assert kit.focus == [Focus.SYSTEM_DESIGN, Focus.DATABASES]
    assert kit.notes.startswith("Keep it to 45 minutes")
    assert kit.created_by == owner
    assert _order(kit) == [first.pk, second.pk, bank_question.pk]
    assert list(kit.kit_questions.values_list("position", flat=True)) == [1, 2, 3]
    assert "Kit “Backend technical” saved" in _text(client.get(reverse("screening:kits")))


def test_unnumbered_questions_go_last_in_the_order_of_the_bank_and_ties_keep_it(
    client: Client, owner: Any
):
    design, database, security = _starters(*GUIDE_QUESTIONS[:3])
    client.force_login(owner)

    client.post(NEW, _post({security: None, database: 5, design: 5}))

    kit = InterviewKit.objects.get()
    assert _order(kit) == [design.pk, database.pk, security.pk]


def test_the_form_lists_the_bank_with_numbers_and_no_other_companys_questions(
    client: Client, owner: Any, bank_question: Question, bank_foreign_question: Question
):
    client.force_login(owner)

    page = _text(client.get(NEW))

    assert bank_question.text in page and GUIDE_QUESTIONS[0] in page
    assert bank_foreign_question.text not in page
    assert f'name="position_{bank_question.pk}"' in page


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "Give the kit a title."),
        ({"kind": "lunch"}, "Select a valid choice"),
        ({"focus": []}, "Choose at least one focus attribute for interviewers to rate."),
        ({"focus": ["astrology"]}, "Choose focus attributes from the list."),
        ({"questions": []}, "Choose at least one question from the bank."),
        ({"questions": ["abc"]}, "is not in your question bank"),
        ({"notes": "x" * 3001}, "at most 3000 characters"),
    ],
)
def test_a_kit_missing_a_part_is_refused_and_nothing_is_saved(
    client: Client, owner: Any, fields: dict[str, Any], message: str
):
    (design,) = _starters(GUIDE_QUESTIONS[0])
    client.force_login(owner)

    response = client.post(NEW, _post({design: 1}, **fields))

    assert response.status_code == 400
    assert message in _text(response)
    assert not InterviewKit.objects.exists()
    assert not KitQuestion.objects.exists()


def test_a_question_of_another_company_is_refused(
    client: Client, owner: Any, bank_foreign_question: Question
):
    (design,) = _starters(GUIDE_QUESTIONS[0])
    client.force_login(owner)

    response = client.post(NEW, _post({design: 1, bank_foreign_question: 2}))

    assert response.status_code == 400
    assert "One of the chosen questions is not in your question bank" in _text(response)
    assert not InterviewKit.objects.exists()


@pytest.mark.parametrize("position", ["first", "0", "-2", "1000", "1.5"])
def test_a_bad_number_is_refused_and_the_ticks_stay(client: Client, owner: Any, position: str):
    design, database = _starters(*GUIDE_QUESTIONS[:2])
    client.force_login(owner)

    response = client.post(NEW, _post({design: 1, database: position}))

    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{database.pk}" id="question-{database.pk}" checked' in page
    assert not InterviewKit.objects.exists()


def test_editing_a_kit_shows_its_order_and_saves_a_new_one(
    client: Client, teammate: Any, bank_kit: InterviewKit, bank_question: Question
):
    starter = bank_kit.kit_questions.first().question  # type: ignore[union-attr]
    extra = Question.objects.get(text=GUIDE_QUESTIONS[3])
    url = reverse("screening:kit_edit", args=[bank_kit.pk])
    client.force_login(teammate)

    page = client.get(url).content.decode()
    assert f'id="id_position_{starter.pk}" min="1" max="999" inputmode="numeric" value="1"' in page
    assert f'value="{bank_question.pk}" id="question-{bank_question.pk}" checked' in page

    response = client.post(
        url,
        _post(
            {bank_question: 1, extra: 2, starter: 3},
            title="Technical v2",
            focus=[Focus.APIS],
            kind=InterviewKind.TECHNICAL,
        ),
    )

    assert response.status_code == 302
    bank_kit.refresh_from_db()
    assert bank_kit.title == "Technical v2" and bank_kit.focus == [Focus.APIS]
    assert _order(bank_kit) == [bank_question.pk, extra.pk, starter.pk]


def test_a_kit_that_becomes_a_final_kit_leaves_the_briefs_technical_slot(
    client: Client, owner: Any, bank_kit: InterviewKit, bank_brief: Any, bank_question: Question
):
    BriefKit.objects.create(brief=bank_brief, kind=InterviewKind.TECHNICAL, kit=bank_kit)
    client.force_login(owner)

    client.post(
        reverse("screening:kit_edit", args=[bank_kit.pk]),
        _post({bank_question: 1}, kind=InterviewKind.FINAL),
    )

    assert not BriefKit.objects.filter(brief=bank_brief).exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("view", ["screening:kit_edit", "screening:kit_archive"])
def test_another_companys_kit_is_not_found(
    client: Client,
    outsider: Any,
    bank_kit: InterviewKit,
    bank_question: Question,
    view: str,
    method: str,
):
    client.force_login(outsider)
    url = reverse(view, args=[bank_kit.pk])

    response = getattr(client, method)(url, _post({bank_question: 1}, title="Taken over"))

    assert response.status_code == (405 if view.endswith("archive") and method == "get" else 404)
    bank_kit.refresh_from_db()
    assert bank_kit.title == "Backend technical" and bank_kit.archived_at is None


def test_engineers_get_no_kits(client: Client, engineer: Any, bank_kit: InterviewKit):
    client.force_login(engineer)

    assert client.get(reverse("screening:kits")).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.get(reverse("screening:kit_edit", args=[bank_kit.pk])).status_code == 404


def test_the_list_shows_each_kit_with_its_questions_focus_and_briefs(
    client: Client, owner: Any, bank_kit: InterviewKit, bank_brief: Any, outsider: Any
):
    BriefKit.objects.create(brief=bank_brief, kind=InterviewKind.TECHNICAL, kit=bank_kit)
    theirs = make_kit(outsider.membership.company, [], title="Their secret kit")
    client.force_login(owner)

    page = _text(client.get(reverse("screening:kits")))

    assert "Backend technical" in page and "2 questions" in page
    assert "system design, databases" in page
    assert "Used by" in page and "Ledger service" in page
    assert theirs.title not in page


def test_an_empty_list_explains_what_a_kit_is(client: Client, owner: Any):
    client.force_login(owner)

    page = _text(client.get(reverse("screening:kits")))

    assert "No interview kits yet" in page
    assert "Make your first kit" in page


def test_archiving_a_kit_clears_the_briefs_and_keeps_interviews_working(
    client: Client, owner: Any, bank_kit: InterviewKit, bank_brief: Any, bank_profile: Any
):
    BriefKit.objects.create(brief=bank_brief, kind=InterviewKind.TECHNICAL, kit=bank_kit)
    candidacy = screening_candidacy(bank_profile, owner)
    interview = interview_for(candidacy, kit=bank_kit)
    client.force_login(owner)

    response = client.post(reverse("screening:kit_archive", args=[bank_kit.pk]))

    assert response.status_code == 302
    bank_kit.refresh_from_db()
    assert bank_kit.archived_at is not None
    assert not BriefKit.objects.filter(brief=bank_brief).exists()
    interview.refresh_from_db()
    assert interview.kit == bank_kit and interview.focus == [Focus.SYSTEM_DESIGN]
    assert Interview.objects.filter(pk=interview.pk).exists()
    listing = _text(client.get(reverse("screening:kits")))
    assert "One brief used it and now has no kit of that kind." in listing
    assert "Archived kits (1)" in listing


def test_an_archived_kit_can_be_read_but_not_changed(
    client: Client, owner: Any, bank_kit: InterviewKit, bank_question: Question
):
    client.force_login(owner)
    client.post(reverse("screening:kit_archive", args=[bank_kit.pk]))
    url = reverse("screening:kit_edit", args=[bank_kit.pk])

    page = _text(client.get(url))
    changed = client.post(url, _post({bank_question: 1}, title="Revived"))
    again = client.post(reverse("screening:kit_archive", args=[bank_kit.pk]))

    assert "Archived" in page and bank_question.text in page
    assert changed.status_code == 409
    assert again.status_code == 409
    bank_kit.refresh_from_db()
    assert bank_kit.title == "Backend technical"
