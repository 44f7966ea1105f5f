"""Forms of ending and reviews: notice, a handover tick, a review, a reply, a report.

They check the shape of what was posted; the rules that depend on the contract (the
notice period, the review days, one review per side) are the services'.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from candidates.forms import DateInput
from hiring.contracts.common import NOTE_MAX, day_text
from hiring.models import HandoverItem, Side
from hiring.reviews.services import SCORES

STAR_CHOICES = [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(1, 6)]
SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]

#: The sub-scores as each side's form asks them.
SCORE_QUESTIONS = {
    "quality": ("Quality of work", "Was the work sound, tested and what was asked?"),
    "communication": ("Communication", "Clear, timely updates and questions?"),
    "reliability": ("Reliability", "Did they do what they said, when they said?"),
    "time_zones": ("Working across time zones", "Were they there in the agreed overlap?"),
    "clarity": ("Clarity of the brief", "Did you know what to build and why?"),
    "responsiveness": ("Responsiveness", "Did questions and submitted work get answers?"),
    "paying_on_time": ("Paying on time", "Were payments made within the agreed days?"),
}


class Radios(forms.RadioSelect):
    """Radio buttons whose field links (the error summary's) point at the first option."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


def _text_field(label: str, *, help_text: str, missing: str = "", rows: int = 4) -> forms.CharField:
    """A text of at most NOTE_MAX characters; required when ``missing`` says what to write."""
    return forms.CharField(
        label=label,
        required=bool(missing),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": missing} if missing else None,
    )


class EndForm(forms.Form):
    """Notice to end: why, and the last day (``earliest``/``latest`` bound the date
    picker and are said in the help; the service checks them)."""

    prefix = "end"

    reason = _text_field(
        "Why does the contract end?",
        missing="Say why the contract ends.",
        help_text="The other side reads this, in their email and on the contract page.",
        rows=3,
    )
    ends_on = forms.DateField(label="Last day of the contract", widget=DateInput)

    def __init__(
        self,
        *args: Any,
        earliest: date | None = None,
        latest: date | None = None,
        trial: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ends_on"]
        field.error_messages.update(
            {
                "required": "Choose the last day of the contract.",
                "invalid": "Write the last day as a date, e.g. 2026-06-30.",
            }
        )
        if earliest is not None:
            field.widget.attrs["min"] = earliest.isoformat()
            field.initial = earliest
            why = "during the paid trial" if trial else "after the notice period"
            field.help_text = f"The earliest is {day_text(earliest)}, {why}"
            if latest is not None:
                field.widget.attrs["max"] = latest.isoformat()
                field.help_text += f"; the latest is {day_text(latest)}, the agreed end date"
            field.help_text += "."


class HandoverForm(forms.Form):
    item = forms.ChoiceField(
        choices=HandoverItem.choices,
        error_messages={"invalid_choice": "Choose an item of the handover checklist."},
    )
    action = forms.ChoiceField(
        choices=[("tick", "Tick"), ("untick", "Untick")],
        error_messages={"invalid_choice": "Tick or untick an item."},
    )


class ReviewForm(forms.Form):
    """One side's review: stars (required), that side's sub-scores (each optional),
    the public text and a private note to staff."""

    stars = forms.TypedChoiceField(
        label="Overall",
        choices=STAR_CHOICES,
        coerce=int,
        widget=Radios,
        error_messages={
            "required": "Choose from 1 to 5 stars overall.",
            "invalid_choice": "Stars are from 1 to 5.",
        },
    )
    public_text = _text_field(
        "Your public review",
        missing="Write your public review.",
        help_text="Shown on their page once both reviews are in or the review days end.",
    )
    private_note = _text_field(
        "A private note to Karigar staff",
        help_text="Only staff read this; the other side never sees it.",
        rows=3,
    )

    def __init__(self, *args: Any, side: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.side = side
        texts = self.fields.pop("public_text"), self.fields.pop("private_note")
        for name in SCORES[side]:
            label, hint = SCORE_QUESTIONS[name]
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=Radios,
                help_text=hint,
                error_messages={"invalid_choice": f"{label} is scored from 1 to 5."},
            )
        self.fields["public_text"], self.fields["private_note"] = texts

    @property
    def score_names(self) -> tuple[str, ...]:
        return SCORES[self.side]

    def scores(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in SCORES[self.side]}

    @property
    def is_company(self) -> bool:
        return self.side == Side.COMPANY


class ReplyForm(forms.Form):
    text = _text_field(
        "Your public reply",
        missing="Write your reply.",
        help_text="Shown under the review, wherever it is shown. One reply per review.",
    )


class ReportForm(forms.Form):
    note = _text_field(
        "What is wrong with this review?",
        missing="Say what is wrong with the review.",
        help_text="Only Karigar staff read this. They may hide the review.",
        rows=3,
    )


class HideForm(forms.Form):
    """Staff hide reviews from the admin, saying why (kept on the review)."""

    note = forms.CharField(
        label="Why hide it?",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": "Say why the review is hidden."},
    )
