"""Interview forms: scheduling (and offering new times), the engineer's pick, asking for
other times, cancelling."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django import forms

from accounts.links import WebURLField
from accounts.models import Membership, User
from screening.models import InterviewKind, InterviewKit
from screening.selectors.interviews import LENGTHS, MAX_OFFERED

LENGTH_CHOICES = [(str(n), f"{n} minutes") for n in LENGTHS]


class SlotStartsField(forms.Field):
    """The ticked times: UTC starts as the page wrote them ("2027-03-15T14:00Z")."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[datetime]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        starts = []
        for text in value:
            try:
                moment = datetime.strptime(str(text), "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
            except ValueError:
                raise forms.ValidationError(
                    "One of the ticked times is not a time Karigar proposed. Find times again."
                ) from None
            starts.append(moment)
        return sorted(set(starts))

    def validate(self, value: Any) -> None:
        if len(value) > MAX_OFFERED:
            raise forms.ValidationError(f"Offer at most {MAX_OFFERED} times.")


class _OfferForm(forms.Form):
    """What scheduling and offering new times share: the length and the ticked times.
    ``offering``: the Offer button was pressed, so at least one time must be ticked."""

    length = forms.TypedChoiceField(
        label="Length", choices=LENGTH_CHOICES, coerce=int, initial="60"
    )
    starts = SlotStartsField(required=False)

    def __init__(self, *args: Any, offering: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offering = offering

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.offering and "starts" in data and not data["starts"]:
            self.add_error("starts", "Tick at least one time to offer.")
        return data


class ScheduleForm(_OfferForm):
    """Scheduling: ``kits`` and ``members`` are the company's (ids of anything else are
    refused as invalid choices); ``kit`` and ``interviewers`` clean to those objects."""

    kind = forms.ChoiceField(
        label="Interview", choices=InterviewKind.choices, initial=InterviewKind.TECHNICAL
    )
    kit = forms.TypedChoiceField(
        label="Interview kit",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="The questions and focus attributes the interviewers use.",
        error_messages={"invalid_choice": "Choose one of your company's interview kits."},
    )
    interviewers = forms.TypedMultipleChoiceField(
        label="Interviewers",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one interviewer.",
            "invalid_choice": "Choose interviewers from your team.",
        },
    )
    video_link = WebURLField(
        label="Video call link",
        max_length=500,
        help_text="The meeting everyone joins, e.g. a Google Meet or Zoom link.",
    )

    field_order = ["kind", "kit", "interviewers", "length", "video_link", "starts"]

    def __init__(
        self,
        *args: Any,
        kits: Sequence[InterviewKit],
        members: Sequence[Membership],
        brief_kits: dict[str, InterviewKit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kits = {kit.pk: kit for kit in kits}
        self.brief_kits = brief_kits
        self.members = {m.user_id: m for m in members}
        kit_field: Any = self.fields["kit"]
        kit_field.choices = [("", "The brief's kit for this kind of interview")] + [
            (kit.pk, f"{kit.title} ({kit.get_kind_display().lower()})") for kit in kits
        ]
        people: Any = self.fields["interviewers"]
        people.choices = [(m.user_id, m.user.display_name) for m in members]

    def clean_kit(self) -> InterviewKit | None:
        pk = self.cleaned_data.get("kit")
        return self.kits[pk] if pk is not None else None

    def clean_interviewers(self) -> list[User]:
        return [self.members[pk].user for pk in self.cleaned_data.get("interviewers", [])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kit") is None and data.get("kind") in self.brief_kits:
            data["kit"] = self.brief_kits[data["kind"]]
        return data

    @property
    def chosen_members(self) -> list[Membership]:
        """The interviewers chosen (once valid), as memberships."""
        return [self.members[user.pk] for user in self.cleaned_data.get("interviewers", [])]


class ReofferForm(_OfferForm):
    reason = forms.CharField(
        label="Why new times?",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The engineer reads this with the new times.",
    )

    field_order = ["length", "reason", "starts"]

    def __init__(self, *args: Any, reason_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reason_required:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                "Say why the time changes: the engineer reads it with the new times."
            )


class PickForm(forms.Form):
    slot = forms.IntegerField(
        min_value=1, error_messages={"required": "Choose one of the times offered."}
    )


class OthersForm(forms.Form):
    note = forms.CharField(
        label="Which times would suit you?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say which days and hours work for you, in your own time.",
        error_messages={"required": "Say which times would suit you."},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why cancel?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone on the interview reads this.",
        error_messages={"required": "Say why the interview is cancelled."},
    )
