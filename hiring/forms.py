"""Validation of what employers and engineers type into outreach and threads."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from accounts.money import format_money
from candidates.forms import DateInput
from hiring.models import (
    RATE_CEILINGS,
    DeclineReason,
    Message,
    MessageTemplate,
    Outreach,
    RateUnit,
)

# Outreach, templates and answers (outreach UI) -------------------------------------

#: The furthest ahead an answer date may be: an offer open for months is no offer.
DECIDE_BY_MAX_DAYS = 60
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _rate_problem(amount: Decimal | None, unit: str) -> str:
    """Why a rate cannot be offered (or proposed), or "" when it can."""
    if amount is None or not unit:
        return ""
    if amount <= 0:
        return "Give a rate above zero."
    ceiling = RATE_CEILINGS.get(unit)
    if ceiling is not None and amount > ceiling:
        return (
            f"{format_money(amount, unit)} looks like a typo: the most Karigar accepts is "
            f"{format_money(ceiling, unit)}. Check the amount and whether it is per hour or "
            "per month."
        )
    return ""


class OutreachForm(forms.Form):
    """The terms of an outreach and the personal message; prefilled from the brief."""

    summary = forms.CharField(
        label="Project summary",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the engineer would build, for whom, and why it matters.",
    )
    engagement = forms.ChoiceField(choices=Outreach.Engagement.choices)
    rate_amount = forms.DecimalField(
        label="Rate offered", max_digits=11, decimal_places=2, widget=forms.NumberInput()
    )
    rate_unit = forms.ChoiceField(label="Currency and period", choices=RateUnit.choices)
    hours_per_week = forms.IntegerField(label="Hours per week", min_value=1, max_value=80)
    overlap_hours = forms.IntegerField(
        label="Working-hours overlap asked (hours a day)",
        min_value=0,
        max_value=12,
        help_text="Hours a day the engineer should be online at the same time as your team.",
    )
    start_date = forms.DateField(widget=DateInput)
    length_months = forms.IntegerField(
        label="Expected length (months)",
        required=False,
        min_value=1,
        max_value=60,
        help_text="Leave empty for ongoing work.",
    )
    assessment = forms.BooleanField(label="There is a technical assessment", required=False)
    assessment_paid = forms.BooleanField(label="The assessment is paid", required=False)
    assessment_hours = forms.IntegerField(
        label="Assessment time box (hours)", required=False, min_value=1, max_value=40
    )
    interviews = forms.IntegerField(label="Number of interviews", min_value=0, max_value=6)
    decide_by = forms.DateField(
        label="Please answer by",
        widget=DateInput,
        help_text=f"Between tomorrow and {DECIDE_BY_MAX_DAYS} days from today. "
        "With no answer by then, the outreach expires.",
    )
    message = forms.CharField(
        label="Personal message",
        required=False,
        max_length=Message.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Why you thought of this engineer. At most 5,000 characters.",
    )

    def clean_rate_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["rate_amount"]
        if amount <= 0:
            raise forms.ValidationError("Give a rate above zero.")
        if amount < 1:  # the model's floor (MinValueValidator(1))
            raise forms.ValidationError("Give a rate of at least 1.")
        return amount

    def clean_start_date(self) -> Any:
        day = self.cleaned_data["start_date"]
        if day < timezone.localdate():
            raise forms.ValidationError("The start date has passed: pick today or later.")
        return day

    def clean_decide_by(self) -> Any:
        day = self.cleaned_data["decide_by"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(
                "Give the engineer at least until tomorrow: pick a date after today."
            )
        if day > today + timedelta(days=DECIDE_BY_MAX_DAYS):
            raise forms.ValidationError(
                f"Pick a date at most {DECIDE_BY_MAX_DAYS} days from today."
            )
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = _rate_problem(data.get("rate_amount"), data.get("rate_unit", ""))
        if problem:
            self.add_error("rate_amount", problem)
        if data.get("assessment"):
            if not data.get("assessment_hours"):
                self.add_error(
                    "assessment_hours",
                    "Say how many hours the assessment may take, so the engineer knows "
                    "what they are signing up for.",
                )
        elif data.get("assessment_paid") or data.get("assessment_hours"):
            self.add_error(
                "assessment",
                "You left “There is a technical assessment” unticked but said it is paid or "
                "gave its time box. Tick it, or clear the other two.",
            )
        return data

    @property
    def terms(self) -> dict[str, Any]:
        """The cleaned terms as hiring.services.outreach_send takes them."""
        return {k: v for k, v in self.cleaned_data.items() if k != "message"}


class TemplatePickForm(forms.Form):
    """'Start from a template': a GET form whose choice fills in the message."""

    template = forms.ChoiceField(label="Start from a template", required=False)

    def __init__(self, *args: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a template")] + [(str(t.pk), t.name) for t in templates]


class MessageTemplateForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text="Only your team sees it, for example “Intro for senior engineers”."
    )
    body = forms.CharField(
        label="Message",
        max_length=Message.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Placeholders: {first_name}, {brief_title} and {company_name}.",
    )

    def __init__(
        self,
        *args: Any,
        company: Any,
        instance: MessageTemplate | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"name": instance.name, "body": instance.body}
        super().__init__(*args, **kwargs)
        self.company = company
        self.instance = instance

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = MessageTemplate.objects.filter(company=self.company, name__iexact=name)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                f"Your team already has a template called “{name}”. Pick another name."
            )
        return name

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        unknown = sorted(
            {m for m in PLACEHOLDER.findall(body) if m not in MessageTemplate.PLACEHOLDERS}
        )
        if unknown:
            listed = ", ".join("{" + name + "}" for name in unknown)
            known = ", ".join("{" + name + "}" for name in MessageTemplate.PLACEHOLDERS)
            raise forms.ValidationError(
                f"Karigar cannot fill in {listed}. The placeholders it knows are {known}."
            )
        return body


class AcceptForm(forms.Form):
    note = forms.CharField(
        label="A note to the company",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example when you are free for a first call.",
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you declining?",
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="A note to the company",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    block = forms.BooleanField(required=False)

    def __init__(self, *args: Any, company_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["block"].label = f"Don't show my profile to {company_name} again"


class ReplyForm(forms.Form):
    """A question or a rate counter-proposal, without accepting or declining."""

    body = forms.CharField(
        label="Your question or answer",
        required=False,
        max_length=Message.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    counter_amount = forms.DecimalField(
        label="Rate you would accept",
        required=False,
        max_digits=11,
        decimal_places=2,
        widget=forms.NumberInput(),
    )
    counter_unit = forms.ChoiceField(
        label="Currency and period",
        required=False,
        choices=[("", "Choose")] + list(RateUnit.choices),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        body, amount, unit = (
            data.get("body", ""),
            data.get("counter_amount"),
            data.get("counter_unit"),
        )
        if self.errors:
            return data
        if not (body or "").strip() and amount is None:
            raise forms.ValidationError(
                "Write a question, or propose a rate, before sending: both were empty."
            )
        if amount is not None:
            if not unit:
                self.add_error("counter_unit", "Say whether the rate is per hour or per month.")
            else:
                problem = _rate_problem(amount, unit)
                if problem:
                    self.add_error("counter_amount", problem)
        return data


class NoteForm(forms.Form):
    """An optional note: stepping back from an opportunity, or reporting it."""

    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# Thread messages and reports (threads UI) ------------------------------------------


class MessageForm(forms.Form):
    """A reply in a thread: plain text, 1 to 5,000 characters."""

    body = forms.CharField(
        label="Your message",
        max_length=Message.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Plain text, up to {Message.MAX_LENGTH:,} characters. Links start with https://.",
        error_messages={
            "required": "Write a message first: it was empty.",
            "max_length": (
                f"Messages can be at most {Message.MAX_LENGTH:,} characters; this one has "
                "%(show_value)s. Shorten it or send it in two parts."
            ),
        },
    )


class ReportForm(forms.Form):
    """An engineer's report of an abusive message, with an optional note for staff."""

    note = forms.CharField(
        label="What is wrong with it? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Keep the note under 2,000 characters (it has %(show_value)s)."
        },
    )
