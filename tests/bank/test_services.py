"""screening.services.bank refuses on its own what the forms already keep out, so no
other caller can put another company's question or kit where it does not belong."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.errors import Conflict, NotAllowed, Refused
from screening.models import BriefKit, InterviewKit, KitQuestion, Question
from screening.services.bank import (
    brief_kits_set,
    kit_archive,
    kit_save,
    question_archive,
    question_update,
)
from tests.bank.conftest import make_kit

pytestmark = pytest.mark.django_db


def _kit(owner: Any, ids: list[int], /, **changes: Any) -> InterviewKit:
    fields: dict[str, Any] = {
        "company": owner.membership.company,
        "user": owner,
        "title": "Technical",
        "kind": "technical",
        "focus": ["apis"],
        "notes": "",
        "question_ids": ids,
    }
    fields.update(changes)
    return kit_save(**fields)


def test_a_kit_never_holds_another_companys_question(
    owner: Any, bank_starter: Question, bank_foreign_question: Question
):
    with pytest.raises(Refused, match="not in your question bank"):
        _kit(owner, [bank_starter.pk, bank_foreign_question.pk])

    assert not InterviewKit.objects.exists()


@pytest.mark.parametrize("change", [{"question_ids": []}, {"focus": []}])
def test_a_kit_needs_a_question_and_a_focus(owner: Any, bank_starter: Question, change: Any):
    with pytest.raises(Refused):
        _kit(owner, [bank_starter.pk], **change)

    assert not InterviewKit.objects.exists()


def test_a_kit_keeps_a_question_archived_since_but_takes_no_new_archived_one(
    owner: Any, bank_question: Question, bank_starter: Question
):
    kit = _kit(owner, [bank_question.pk])
    question_archive(question=bank_question)

    _kit(owner, [bank_starter.pk, bank_question.pk], kit=kit)
    assert list(kit.kit_questions.values_list("question_id", flat=True)) == [
        bank_starter.pk,
        bank_question.pk,
    ]
    other = Question.objects.create(
        company=owner.membership.company, text="Old", focus="apis", good_answer="x"
    )
    question_archive(question=other)
    with pytest.raises(Refused):
        _kit(owner, [other.pk])


def test_starters_are_never_changed(bank_starter: Question):
    with pytest.raises(NotAllowed):
        question_update(question=bank_starter, text="Changed", focus="apis", good_answer="x")
    with pytest.raises(NotAllowed):
        question_archive(question=bank_starter)

    bank_starter.refresh_from_db()
    assert bank_starter.text != "Changed" and bank_starter.archived_at is None


def test_a_brief_never_takes_another_companys_or_an_archived_kit(
    owner: Any, outsider: Any, bank_brief: Any, bank_kit: InterviewKit
):
    theirs = make_kit(outsider.membership.company, [])
    with pytest.raises(Refused):
        brief_kits_set(brief=bank_brief, technical=theirs, final=None)
    kit_archive(kit=bank_kit)
    with pytest.raises(Refused):
        brief_kits_set(brief=bank_brief, technical=bank_kit, final=None)
    with pytest.raises(Conflict):
        kit_archive(kit=bank_kit)
    with pytest.raises(Conflict):
        _kit(owner, [KitQuestion.objects.filter(kit=bank_kit).first().question_id], kit=bank_kit)  # type: ignore[union-attr]

    assert not BriefKit.objects.exists()
