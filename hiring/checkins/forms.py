"""Check-in forms: the engineer's answer, the company's side, skipping a week."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from hiring.models import CheckIn


class AnswerForm(forms.Form):
    """The engineer's side: what was done, what comes next, blockers, hours, health."""

    done = forms.CharField(
        label="Done since last time",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write what you did since the last check-in."},
    )
    next = forms.CharField(
        label="Next",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you plan to do before the next check-in.",
        error_messages={"required": "Write what comes next."},
    )
    blockers = forms.CharField(
        label="Blockers",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Anything in your way, and who could unblock it.",
    )
    hours = forms.DecimalField(
        label="Hours this week",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        help_text="Optional: the hours you worked since the last check-in, 0 to 100.",
        error_messages={
            "invalid": "Write the hours as a number, like 32 or 32.5.",
            "min_value": "Hours cannot be negative.",
            "max_value": "Hours must be at most 100 in a week: check for a typo.",
            "max_decimal_places": "Use at most one decimal, like 32.5.",
            "max_digits": "Hours must be at most 100 in a week: check for a typo.",
            "max_whole_digits": "Hours must be at most 100 in a week: check for a typo.",
        },
    )
    health = forms.ChoiceField(
        label="How is it going?",
        choices=CheckIn.Health.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say how it is going: on track, at risk or off track.",
            "invalid_choice": "Choose on track, at risk or off track.",
        },
    )


class ReplyForm(forms.Form):
    """The company's side: are the priorities clear, feedback, blockers the team owns."""

    priorities_clear = forms.ChoiceField(
        label="Are the priorities clear?",
        choices=CheckIn.Clear.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether the priorities are clear: yes, partly or no.",
            "invalid_choice": "Choose yes, partly or no.",
        },
    )
    feedback = forms.CharField(
        label="Feedback",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What went well, what to change. The engineer reads it as written.",
        error_messages={"required": "Write your feedback."},
    )
    company_blockers = forms.CharField(
        label="Blockers your team owns",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Access, answers or reviews the engineer is waiting for, and when they come.",
    )


class SkipForm(forms.Form):
    """The week to skip: its Monday, as the page wrote it (this week or the next)."""

    week = forms.DateField(
        widget=forms.HiddenInput,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "Choose this week's or next week's check-in to skip.",
            "invalid": "Choose this week's or next week's check-in to skip.",
        },
    )
