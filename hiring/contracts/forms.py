"""Forms of hiring.contracts: a version's terms with its milestones, accepting, declining
and withdrawing.

The terms form validates what one field can say on its own (and the model's validators);
what the terms must say together comes from ``hiring.contracts.rules.terms_errors``, the
one set of rules for drafts and change orders, run in ``TermsForm.clean`` with the
milestones. Milestones are a formset without JavaScript: a few blank rows to fill, a
"Remove" box on each, and a button for more rows.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from candidates.forms import DateInput, TimeInput
from hiring.contracts import rules, terms
from hiring.models import ContractVersion, Weekday

#: The collaboration tools a contract can link to, in the order the form shows them.
TOOLS: tuple[tuple[str, str], ...] = (
    ("slack", "Slack"),
    ("trello", "Trello"),
    ("asana", "Asana"),
    ("whatsapp", "WhatsApp group"),
    ("repository", "Code repository"),
)
TOOL_LABELS = dict(TOOLS)
#: Blank milestone rows under the filled ones; "Add more rows" adds this many again.
BLANK_ROWS = 3
MAX_MILESTONES = 20
CALL_LENGTHS = (15, 30, 45, 60, 90, 120)
#: The term fields the form edits: every term but the zone (set by the service) and the
#: tools (edited below).
TERM_FIELDS = [name for name in terms.TERM_FIELDS if name not in ("time_zone", "tools")]

HTTPS_ONLY = URLValidator(
    schemes=["https"], message="Enter a link starting with https:// (a secure address)."
)


class HttpsURLField(forms.URLField):
    """A link people click from the contract: https only, so nothing else is accepted."""

    default_validators = [HTTPS_ONLY]
    default_error_messages = {"invalid": HTTPS_ONLY.message}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


def _hour(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


HOUR_CHOICES = [(f"{h:02d}:00", f"{h:02d}:00") for h in range(24)]


class TermsForm(forms.ModelForm):
    """A version's terms. ``milestones`` is the bound formset of the same page: the rules
    that join the terms and the milestones run here, after each field is clean."""

    checkin_time = forms.TypedChoiceField(
        label="Check-in time",
        choices=HOUR_CHOICES,
        coerce=_hour,
        initial="16:00",
        help_text="On the hour, in the engineer's time zone.",
    )
    call_weekday = forms.TypedChoiceField(
        label="Weekly call day",
        choices=[("", "No weekly call"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    call_minutes = forms.TypedChoiceField(
        label="Weekly call length",
        choices=[("", "—"), *((str(n), f"{n} minutes") for n in CALL_LENGTHS)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = ContractVersion
        fields = TERM_FIELDS
        labels = {
            "title": "Contract title",
            "rate": "Rate",
            "hours_cap": "Weekly hours cap",
            "end_on": "End date",
            "trial_weeks": "Paid trial (weeks)",
            "overlap_starts": "Overlap starts",
            "overlap_ends": "Overlap ends",
            "checkin_weekday": "Check-in day",
            "call_time": "Weekly call time",
        }
        help_texts = {
            "scope": "What the engineer builds or does, and what is outside the contract.",
            "rate": "Per hour, per month, or the whole fixed price.",
            "hours_cap": "The most hours a week the engineer works (and bills) without asking.",
            "end_on": "Leave empty for open-ended work.",
            "notice_days": "Days either side gives before ending the contract.",
            "pay_within_days": "Days the company has to pay an invoice.",
            "deem_accept_days": "A submitted milestone nobody answers counts as accepted after "
            "this many days.",
            "trial_weeks": "Optional: a first paid period after which either side may stop "
            "without the notice period.",
            "overlap_starts": "The hours both sides are online together, in the engineer's zone.",
            "call_time": "In the engineer's zone, inside the overlap.",
        }
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 6}),
            "rate": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            "start_on": DateInput,
            "end_on": DateInput,
            "overlap_starts": TimeInput(format="%H:%M"),
            "overlap_ends": TimeInput(format="%H:%M"),
            "call_time": TimeInput(format="%H:%M"),
        }

    def __init__(self, *args: Any, milestones: BaseMilestoneFormSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.milestones = milestones
        for kind, label in TOOLS:
            self.fields[f"tool_{kind}"] = HttpsURLField(label=label)
        if not self.is_bound:
            for tool in self.initial.get("tools") or []:
                if tool.get("kind") in TOOL_LABELS:
                    self.initial[f"tool_{tool['kind']}"] = tool.get("url", "")
        self.milestone_errors: list[str] = []

    def tool_fields(self) -> list[forms.BoundField]:
        return [self[f"tool_{kind}"] for kind, _ in TOOLS]

    def clean_start_on(self) -> Any:
        day = self.cleaned_data.get("start_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("The start date has passed: pick today or later.")
        return day

    def clean_rate(self) -> Decimal | None:
        rate: Decimal | None = self.cleaned_data.get("rate")
        if rate is not None and rate <= 0:
            raise forms.ValidationError("The rate must be more than zero.")
        return rate

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("call_weekday") is not None
            and data.get("call_time")
            and not data.get("call_minutes")
        ):
            data["call_minutes"] = 30
        if data.get("call_weekday") is None and not data.get("call_time"):
            data["call_minutes"] = None
        if not self.milestones.is_valid():
            return data
        for field, messages in rules.terms_errors(data, self.milestones.rows()).items():
            for message in messages:
                if field == "milestones":
                    self.milestone_errors.append(message)
                elif field in self.fields and field not in self.errors:
                    self.add_error(field, message)
                elif field not in self.fields:
                    self.add_error(None, message)
        if self.milestone_errors:
            self.add_error(None, "Check the milestones: " + " ".join(self.milestone_errors))
        return data

    def is_valid(self) -> bool:
        return all([self.milestones.is_valid(), super().is_valid()])

    def terms(self) -> dict[str, Any]:
        """The cleaned terms as the services take them (tools as a list of links)."""
        data = {name: self.cleaned_data.get(name) for name in TERM_FIELDS}
        data["tools"] = [
            {"kind": kind, "url": self.cleaned_data[f"tool_{kind}"]}
            for kind, _ in TOOLS
            if self.cleaned_data.get(f"tool_{kind}")
        ]
        return data


class MilestoneForm(forms.Form):
    """One milestone row. A row left blank is no milestone (every row may be empty)."""

    VISIBLE = ("title", "acceptance_criteria", "due_on", "amount")

    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=12)
    title = forms.CharField(label="Milestone", max_length=120)
    acceptance_criteria = forms.CharField(
        label="Acceptance criteria",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Write the acceptance criteria: how both sides will know it is done."
        },
    )
    due_on = forms.DateField(label="Due date", widget=DateInput)
    amount = forms.DecimalField(
        label="Amount",
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        help_text="Needed for a fixed price or payment per milestone.",
    )

    def has_changed(self) -> bool:
        # The hidden key alone does not make a milestone: clearing a row removes it.
        return any((self[name].data or "") not in ("", None) for name in self.VISIBLE)

    def clean_amount(self) -> Decimal | None:
        amount: Decimal | None = self.cleaned_data.get("amount")
        if amount is not None and amount < 0:
            raise forms.ValidationError("An amount cannot be negative.")
        return amount


class BaseMilestoneFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this milestone"

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # Every row may be left blank, the ones showing a milestone too (clearing it removes it).
        return {**super().get_form_kwargs(index), "empty_permitted": True}

    def rows(self) -> list[dict[str, Any]]:
        """The milestones kept, in order: filled rows not marked for removal."""
        return [
            {name: form.cleaned_data.get(name) for name in ("key", *MilestoneForm.VISIBLE)}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


PREFIX = "m"


def terms_forms(
    data: Any = None,
    *,
    initial: dict[str, Any] | None = None,
    milestones: list[dict[str, Any]] | None = None,
    blank_rows: int = BLANK_ROWS,
) -> TermsForm:
    """The terms form with its milestone formset (``form.milestones``), bound to ``data``
    or showing ``initial`` and ``milestones`` with ``blank_rows`` empty rows under them."""
    formset_class = forms.formset_factory(
        MilestoneForm,
        formset=BaseMilestoneFormSet,
        extra=blank_rows,
        can_delete=True,
        max_num=MAX_MILESTONES,
        validate_max=True,
        absolute_max=MAX_MILESTONES + 10,
    )
    formset = cast(
        BaseMilestoneFormSet,
        formset_class(data, initial=None if data is not None else milestones, prefix=PREFIX),
    )
    return TermsForm(data, initial=initial, milestones=formset)


def posted_as_initial(data: Any) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    """What was typed, to show again unbound with more blank milestone rows ("Add more
    rows" must not show errors for a form nobody submitted yet)."""
    bound = terms_forms(data)
    initial = {name: bound[name].data for name in bound.fields}
    tools = [
        {"kind": kind, "url": bound[f"tool_{kind}"].data or ""}
        for kind, _ in TOOLS
        if bound[f"tool_{kind}"].data
    ]
    initial["tools"] = tools
    rows = []
    for form in bound.milestones.forms:
        values = {name: form[name].data for name in ("key", *MilestoneForm.VISIBLE)}
        deleted = bool(form["DELETE"].data) if "DELETE" in form.fields else False
        if not deleted and any(values[name] for name in MilestoneForm.VISIBLE):
            rows.append(values)
    blank = len(bound.milestones.forms) - len(rows) + BLANK_ROWS
    blank = max(0, min(blank, MAX_MILESTONES - len(rows)))
    return initial, rows, blank


class AcceptForm(forms.Form):
    """Accepting the exact version read: the page carries that version's content hash."""

    content_hash = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": "Open the contract again and accept from its page."},
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label="Why you decline",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The other side reads this. Say what would need to change.",
        error_messages={"required": "Write a short note saying why you decline."},
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label="A note for the engineer",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
