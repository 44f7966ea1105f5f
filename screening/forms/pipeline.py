"""Validation of what teammates post to the pipeline. Forms validate; services save."""

from __future__ import annotations

from typing import Any

from django import forms

from screening.models import NotAFitReason, Review, Stage, StageMove

#: Ids beyond a bigint cannot name a row; refuse them before they reach the database.
MAX_ID = 2**63 - 1


class AddForm(forms.Form):
    """One or more engineers (``profile``, repeated) to put in a brief's pipeline."""

    def __init__(self, data: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        self.raw_ids = data.getlist("profile") if data is not None else []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ids: list[int] = []
        for raw in self.raw_ids:
            text = str(raw).strip()
            if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
                raise forms.ValidationError("That is not an engineer we know. Nothing was added.")
            ids.append(int(text))
        if not ids:
            raise forms.ValidationError("Choose at least one engineer to add. Nothing was added.")
        cleaned["profile_ids"] = ids
        return cleaned


class MoveForm(forms.Form):
    """A card's move: where to, from the stage the teammate saw (``expected``)."""

    to = forms.ChoiceField(label="Move to", choices=Stage.choices)
    expected = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label="Why not a fit",
        choices=[("", "Choose a reason"), *NotAFitReason.choices],
        required=False,
    )
    note = forms.CharField(
        label="Note for your team",
        required=False,
        max_length=StageMove._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    told_engineer = forms.BooleanField(
        label="Tell the engineer (sends a kind note)", required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("to") == Stage.NOT_A_FIT and not cleaned.get("reason"):
            self.add_error("reason", "Choose why this engineer is not a fit.")
        return cleaned

    def first_error(self) -> str:
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            if name == "expected":
                return "The page was out of date: reload it and try again. Nothing was changed."
            if name == "to":
                return "Choose a stage the card can move to. Nothing was changed."
            return f"{label}: {errors[0]}" if label and name != "reason" else str(errors[0])
        return "That move could not be made. Nothing was changed."


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Your rating",
        choices=Review.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating: strong no, no, yes or strong yes."},
    )
    note = forms.CharField(
        label="Your note",
        required=False,
        max_length=Review._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you saw in the resume and portfolio. Only your team reads it.",
    )
