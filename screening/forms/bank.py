"""Validation of the question bank, interview kits and a brief's kits. Forms validate;
screening.services.bank saves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from screening.models import BriefKit, Focus, InterviewKind, InterviewKit, KitQuestion, Question

#: A kit's questions are ordered by a number per question; unnumbered ones go last.
MAX_POSITION = 999


class QuestionForm(forms.ModelForm):
    """A question of the company's own bank: what to ask, what it probes, what a good
    answer covers. Every field is required."""

    class Meta:
        model = Question
        fields = ["text", "focus", "good_answer"]
        labels = {
            "text": "Question",
            "focus": "Focus it probes",
            "good_answer": "A good answer covers",
        }
        help_texts = {
            "text": "Ask it the way an interviewer would say it.",
            "good_answer": "What interviewers listen for, so that everyone rates answers alike.",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "good_answer": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "text": {"required": "Write the question."},
            "focus": {
                "required": "Choose the focus attribute the question probes.",
                "invalid_choice": "Choose one of the focus attributes in the list.",
            },
            "good_answer": {"required": "Say what a good answer covers."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        focus = self.fields["focus"]
        focus.choices = [("", "Choose a focus"), *Focus.choices]  # type: ignore[attr-defined]


class QuestionFilterForm(forms.Form):
    """The bank page's filter (``?focus=``); empty shows every question."""

    focus = forms.ChoiceField(
        label="Focus",
        choices=[("", "Every focus"), *Focus.choices],
        required=False,
        error_messages={
            "invalid_choice": "There is no focus called “%(value)s”, so every question is shown."
        },
    )


@dataclass
class QuestionRow:
    """One bank question on the kit form: whether it is in the kit, and its number."""

    question: Question
    checked: bool
    position: forms.BoundField


class KitForm(forms.Form):
    """An interview kit: its title and kind, the focus attributes interviewers rate,
    notes for them, and questions from the bank, each placed by a number."""

    title = forms.CharField(
        label="Title",
        max_length=120,
        help_text="For example “Backend technical, 60 minutes”.",
        error_messages={"required": "Give the kit a title."},
    )
    kind = forms.ChoiceField(
        label="Used for",
        choices=InterviewKind.choices,
        initial=InterviewKind.TECHNICAL,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the kit is for a technical or final interview."
        },
    )
    focus = forms.MultipleChoiceField(
        label="Focus attributes interviewers rate",
        choices=Focus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each interviewer scores every one of these from 1 to 4 on their scorecard.",
        error_messages={
            "required": "Choose at least one focus attribute for interviewers to rate.",
            "invalid_choice": "Choose focus attributes from the list.",
        },
    )
    notes = forms.CharField(
        label="Notes for interviewers",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How to run the interview: timing, what to skip, what to follow up on.",
    )
    questions = forms.TypedMultipleChoiceField(
        label="Questions",
        coerce=int,
        error_messages={
            "required": "Choose at least one question from the bank.",
            "invalid_choice": "One of the chosen questions is not in your question bank. "
            "Choose questions from the list.",
        },
    )

    def __init__(
        self,
        data: Any = None,
        *,
        choices: list[Question],
        kit: InterviewKit | None = None,
        held: list[KitQuestion] | None = None,
    ) -> None:
        initial: dict[str, Any] = {}
        if kit is not None:
            initial = {
                "title": kit.title,
                "kind": kit.kind,
                "focus": list(kit.focus),
                "notes": kit.notes,
                "questions": [kq.question_id for kq in held or []],
            }
            for n, kq in enumerate(held or [], start=1):
                initial[f"position_{kq.question_id}"] = n
        super().__init__(data, initial=initial)
        self.choices = choices
        self.fields["questions"].choices = [(q.pk, q.text) for q in choices]  # type: ignore[attr-defined]
        for question in choices:
            self.fields[f"position_{question.pk}"] = forms.IntegerField(
                label=f"Place in the kit of “{question.text[:60]}”",
                required=False,
                min_value=1,
                max_value=MAX_POSITION,
                widget=forms.NumberInput(attrs={"class": "input--narrow"}),
                error_messages={
                    "invalid": "Number each chosen question with a whole number, 1 for the first.",
                    "min_value": "Number questions from 1.",
                    "max_value": f"Use numbers up to {MAX_POSITION}.",
                },
            )

    def rows(self) -> list[QuestionRow]:
        """Every question of the bank, in the order of the focus list, with its box and
        number as they were posted (or as the kit has them)."""
        if self.is_bound:
            chosen = set(self.data.getlist("questions"))  # type: ignore[attr-defined]
        else:
            chosen = {str(pk) for pk in self.initial.get("questions", [])}
        return [QuestionRow(q, str(q.pk) in chosen, self[f"position_{q.pk}"]) for q in self.choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen: list[int] = cleaned.get("questions") or []
        listed = {q.pk: n for n, q in enumerate(self.choices)}
        unnumbered = MAX_POSITION + 1
        cleaned["question_ids"] = sorted(
            dict.fromkeys(chosen),
            key=lambda pk: (cleaned.get(f"position_{pk}") or unnumbered, listed.get(pk, 0)),
        )
        return cleaned


class KitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: InterviewKit) -> str:  # type: ignore[override]
        return obj.title


class BriefKitsForm(forms.Form):
    """Which of the company's kits a brief's technical and final interviews use."""

    technical = KitChoiceField(
        label="Technical interview kit",
        queryset=InterviewKit.objects.none(),
        required=False,
        empty_label="No kit",
        help_text="Your team's technical interview kits.",
        error_messages={
            "invalid_choice": "That is not one of your team's technical interview kits. "
            "Choose one from the list."
        },
    )
    final = KitChoiceField(
        label="Final interview kit",
        queryset=InterviewKit.objects.none(),
        required=False,
        empty_label="No kit",
        help_text="Your team's final interview kits: expertise, fit and communication.",
        error_messages={
            "invalid_choice": "That is not one of your team's final interview kits. "
            "Choose one from the list."
        },
    )

    def __init__(
        self, data: Any = None, *, kits: dict[str, Any], current: dict[str, BriefKit]
    ) -> None:
        initial = {kind: bk.kit_id for kind, bk in current.items()}
        super().__init__(data, initial=initial)
        for kind in InterviewKind.values:
            self.fields[kind].queryset = kits[kind]  # type: ignore[attr-defined]
