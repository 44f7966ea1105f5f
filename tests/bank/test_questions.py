"""The question bank page: the company's questions and the starters, by focus; adding,
editing and archiving the company's own; starters read-only; others' questions 404."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from screening.models import Focus, KitQuestion, Question
from tests.bank.conftest import GUIDE_QUESTIONS

pytestmark = pytest.mark.django_db

BANK = reverse("screening:questions")
VALID = {
    "text": "How do you design an idempotent payments endpoint?",
    "focus": Focus.APIS,
    "good_answer": "Idempotency keys stored with the result, retries, conflicts.",
}


def _text(response: Any) -> str:
    return unescape(response.content.decode())


def test_the_bank_shows_each_question_with_its_focus_and_good_answer(
    client: Client, owner: Any, bank_question: Question, bank_foreign_question: Question
):
    client.force_login(owner)

    response = client.get(BANK)
    page = _text(response)

    assert response.status_code == 200
    assert bank_question.text in page and bank_question.good_answer in page
    assert "Databases" in page and "A good answer covers" in page
    assert GUIDE_QUESTIONS[2] in page
    assert bank_foreign_question.text not in page
    assert reverse("screening:question_edit", args=[bank_question.pk]) in page
    starter = Question.objects.get(text=GUIDE_QUESTIONS[2])
    assert reverse("screening:question_edit", args=[starter.pk]) not in page


def test_it_filters_by_focus(client: Client, owner: Any, bank_question: Question):
    client.force_login(owner)

    page = _text(client.get(BANK, {"focus": "databases"}))

    assert bank_question.text in page
    assert GUIDE_QUESTIONS[1] in page  # a starter about databases
    assert GUIDE_QUESTIONS[2] not in page  # security
    assert "Databases questions" in page


@pytest.mark.parametrize("focus", ["astrology", "<script>", "x" * 300])
def test_an_unknown_focus_says_so_and_shows_every_question(client: Client, owner: Any, focus: str):
    client.force_login(owner)

    response = client.get(BANK, {"focus": focus})
    page = _text(response)

    assert response.status_code == 400
    assert "There is no focus called" in page
    assert all(text in page for text in GUIDE_QUESTIONS)
    assert "<script>" not in response.content.decode()


def test_a_filter_with_nothing_in_it_explains_how_to_fill_it(client: Client, owner: Any):
    Question.objects.filter(company__isnull=True, focus=Focus.OWNERSHIP).delete()
    client.force_login(owner)

    page = _text(client.get(BANK, {"focus": "ownership"}))

    assert "No ownership questions yet" in page
    assert "Write one below" in page


def test_it_adds_a_question_to_the_companys_bank(client: Client, owner: Any):
    client.force_login(owner)

    response = client.post(BANK, VALID)

    assert response.status_code == 302
    question = Question.objects.get(text=VALID["text"])
    assert question.company == owner.membership.company
    assert question.created_by == owner
    page = _text(client.get(BANK))
    assert "Question added under APIs" in page
    assert VALID["text"] in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"text": ""}, "Write the question."),
        ({"text": "   "}, "Write the question."),
        ({"focus": ""}, "Choose the focus attribute the question probes."),
        ({"focus": "astrology"}, "Choose one of the focus attributes in the list."),
        ({"good_answer": ""}, "Say what a good answer covers."),
        ({"text": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_a_question_missing_a_part_is_refused_and_nothing_is_saved(
    client: Client, owner: Any, change: dict[str, str], message: str
):
    client.force_login(owner)
    before = Question.objects.count()

    response = client.post(BANK, {**VALID, **change})

    assert response.status_code == 400
    assert message in _text(response)
    assert Question.objects.count() == before


def test_it_edits_the_companys_own_question(client: Client, owner: Any, bank_question: Question):
    client.force_login(owner)
    url = reverse("screening:question_edit", args=[bank_question.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {**VALID, "focus": Focus.SECURITY})

    assert response.status_code == 302
    bank_question.refresh_from_db()
    assert bank_question.text == VALID["text"]
    assert bank_question.focus == Focus.SECURITY


def test_a_teammate_edits_the_teams_questions_too(
    client: Client, teammate: Any, bank_question: Question
):
    client.force_login(teammate)

    response = client.post(reverse("screening:question_edit", args=[bank_question.pk]), VALID)

    assert response.status_code == 302


def test_an_invalid_edit_is_refused_and_changes_nothing(
    client: Client, owner: Any, bank_question: Question
):
    client.force_login(owner)

    response = client.post(
        reverse("screening:question_edit", args=[bank_question.pk]), {**VALID, "good_answer": ""}
    )

    assert response.status_code == 400
    bank_question.refresh_from_db()
    assert bank_question.text == "How would you shard the ledger table?"


@pytest.mark.parametrize("view", ["screening:question_edit", "screening:question_archive"])
def test_a_starter_question_cannot_be_changed_or_archived(
    client: Client, owner: Any, bank_starter: Question, view: str
):
    client.force_login(owner)
    url = reverse(view, args=[bank_starter.pk])
    text = bank_starter.text

    responses = [client.post(url, VALID)]
    if view == "screening:question_edit":
        responses.append(client.get(url))

    for response in responses:
        assert response.status_code == 403
        assert "starter questions" in _text(response)
    bank_starter.refresh_from_db()
    assert bank_starter.text == text and bank_starter.archived_at is None


@pytest.mark.parametrize("view", ["screening:question_edit", "screening:question_archive"])
def test_another_companys_question_is_not_found(
    client: Client, owner: Any, bank_foreign_question: Question, view: str
):
    client.force_login(owner)
    url = reverse(view, args=[bank_foreign_question.pk])

    assert client.get(url).status_code in (404, 405)
    assert client.post(url, VALID).status_code == 404
    bank_foreign_question.refresh_from_db()
    assert bank_foreign_question.archived_at is None
    assert bank_foreign_question.text == "A question only the other company has"


def test_engineers_and_visitors_get_no_bank(client: Client, engineer: Any, bank_question: Question):
    assert client.get(BANK).status_code == 302  # to log in
    client.force_login(engineer)

    assert client.get(BANK).status_code == 403
    assert client.post(BANK, VALID).status_code == 403
    edit = reverse("screening:question_edit", args=[bank_question.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, VALID).status_code == 404
    assert not Question.objects.filter(text=VALID["text"]).exists()


def test_archiving_takes_a_question_out_of_the_bank_but_kits_keep_it(
    client: Client, owner: Any, bank_kit: Any, bank_question: Question
):
    client.force_login(owner)

    response = client.post(reverse("screening:question_archive", args=[bank_question.pk]))

    assert response.status_code == 302
    bank_question.refresh_from_db()
    assert bank_question.archived_at is not None
    assert bank_question.text not in _text(client.get(BANK))
    assert KitQuestion.objects.filter(kit=bank_kit, question=bank_question).exists()
    kit_page = _text(client.get(reverse("screening:kit_edit", args=[bank_kit.pk])))
    assert bank_question.text in kit_page and "archived from the bank" in kit_page
    again = client.post(reverse("screening:question_archive", args=[bank_question.pk]))
    assert again.status_code == 404


def test_archiving_needs_a_post(client: Client, owner: Any, bank_question: Question):
    client.force_login(owner)

    response = client.get(reverse("screening:question_archive", args=[bank_question.pk]))

    assert response.status_code == 405
    bank_question.refresh_from_db()
    assert bank_question.archived_at is None


def test_archiving_from_a_filtered_bank_goes_back_to_it(
    client: Client, owner: Any, bank_question: Question
):
    client.force_login(owner)
    here = f"{BANK}?focus=databases"

    page = client.get(here).content.decode()
    response = client.post(
        reverse("screening:question_archive", args=[bank_question.pk]), {"next": here}
    )
    (other,) = Question.objects.filter(company__isnull=True)[:1]
    Question.objects.filter(pk=other.pk).update(company=owner.membership.company)
    elsewhere = client.post(
        reverse("screening:question_archive", args=[other.pk]), {"next": "https://evil.example/"}
    )

    assert 'name="next" value="/questions/?focus=databases"' in page
    assert response["Location"] == here
    assert elsewhere["Location"] == BANK
