"""Forms of scope changes: the proposal (terms and the milestones still ahead), and the
answers. They parse and check what was typed; the contract's rules are checked by the
service (``rules.terms_errors``), whose messages ``show_terms_errors`` puts back here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from candidates.forms import DateInput
from hiring.changes.selectors import MilestoneState
from hiring.changes.services import MilestoneRow, Proposed
from hiring.contracts.common import NOTE_MAX
from hiring.models import ContractEngagement, ContractVersion, Milestone

#: Blank rows for new milestones (one more can be added after saving).
NEW_ROWS = 2
#: At most this many milestone rows in one post: more is not a form a person sent.
MAX_ROWS = 40

_RATE_LABELS = {
    ContractEngagement.HOURLY: "Hourly rate",
    ContractEngagement.MONTHLY: "Monthly rate",
    ContractEngagement.FIXED: "Fixed price",
}


class ChangeForm(forms.Form):
    """The terms a change order may change, and why; prefilled from ``version``."""

    scope = forms.CharField(
        label="Scope of work", max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    rate = forms.DecimalField(max_digits=12, decimal_places=2, widget=forms.NumberInput())
    hours_cap = forms.IntegerField(
        label="Weekly hours cap",
        required=False,
        min_value=1,
        max_value=80,
        help_text="The most hours a week the engineer bills. Empty: no cap.",
    )
    end_on = forms.DateField(
        label="End date", required=False, widget=DateInput, help_text="Empty: open-ended."
    )
    note = forms.CharField(
        label="Why this change",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The other side reads this with the change before they answer.",
    )

    def __init__(self, data: Any = None, *, version: ContractVersion, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "scope": version.scope,
                "rate": version.rate,
                "hours_cap": version.hours_cap,
                "end_on": version.end_on,
            },
        )
        super().__init__(data, **kwargs)
        label = _RATE_LABELS.get(ContractEngagement(version.engagement), "Rate")
        self.fields["rate"].label = f"{label} ({version.currency})"
        if version.engagement == ContractEngagement.FIXED:
            self.fields["rate"].help_text = "The milestones' amounts must add up to it."
        if version.engagement == ContractEngagement.HOURLY:
            self.fields["hours_cap"].help_text = "An hourly contract needs a cap."


class MilestoneForm(forms.Form):
    """A milestone still ahead (``key`` set) or a new one (``key`` empty)."""

    key = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    title = forms.CharField(max_length=120)
    acceptance_criteria = forms.CharField(
        label="Acceptance criteria", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label="Due date", widget=DateInput)
    amount = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, widget=forms.NumberInput()
    )
    remove = forms.BooleanField(label="Remove this milestone", required=False)

    @property
    def is_new(self) -> bool:
        return not self.initial.get("key")


class BaseMilestoneFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    currency = "USD"

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["amount"].label = f"Amount ({self.currency})"


MilestoneFormSet = forms.formset_factory(
    MilestoneForm,
    formset=BaseMilestoneFormSet,
    extra=NEW_ROWS,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


def proposal_forms(
    data: Any,
    *,
    source: ContractVersion,
    states: Sequence[MilestoneState],
) -> tuple[ChangeForm, BaseMilestoneFormSet]:
    """The form and the milestone rows, prefilled from ``source`` (the version in force,
    or the proposal a counter answers); milestones locked in the version in force are not
    rows (the page shows them read-only)."""
    locked = {s.milestone.key for s in states if not s.editable}
    milestones = sorted(source.milestones.all(), key=lambda m: (m.due_on, m.position, m.pk))
    initial = [_initial(m) for m in milestones if m.key not in locked]
    formset: BaseMilestoneFormSet = MilestoneFormSet(data, initial=initial, prefix="milestones")  # type: ignore[assignment]
    formset.currency = source.currency
    return ChangeForm(data, version=source), formset


def _initial(m: Milestone) -> dict[str, Any]:
    return {
        "key": m.key,
        "title": m.title,
        "acceptance_criteria": m.acceptance_criteria,
        "due_on": m.due_on,
        "amount": m.amount,
    }


def proposed(form: ChangeForm, formset: BaseMilestoneFormSet) -> Proposed:
    data = form.cleaned_data
    rows = [
        MilestoneRow(
            key=row["key"],
            title=row["title"],
            acceptance_criteria=row["acceptance_criteria"],
            due_on=row["due_on"],
            amount=row.get("amount"),
            remove=row.get("remove", False),
        )
        for row in formset.cleaned_data
        if row  # a blank row for a new milestone, left empty
    ]
    return Proposed(
        scope=data["scope"],
        rate=data["rate"],
        hours_cap=data.get("hours_cap"),
        end_on=data.get("end_on"),
        milestones=rows,
        note=data["note"],
    )


def show_terms_errors(form: ChangeForm, errors: dict[str, list[str]]) -> None:
    """The rules' messages on the form: at their field when it is on the form, else at the
    top (the milestones' sum, the invoicing)."""
    for name, messages in errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class AcceptForm(forms.Form):
    content_hash = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    note = forms.CharField(
        label="A note (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    note = forms.CharField(
        label="Why you reject it",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The other side reads this; the contract stays as it is.",
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label="A note (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
