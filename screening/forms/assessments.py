"""Validation of what teammates and engineers type into assessments: templates and their
rubric, sending, answers, graders, grades, and the engineer's submission and request for
more time. Date-times are typed in a named zone (the company's or the engineer's)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from accounts.links import WebURLField
from accounts.models import User
from screening.models import AssessmentTemplate, Currency, Recommendation, Score
from screening.services.assessments import (
    EVIDENCE_MAX,
    deadline_problem,
    extension_problem,
    rubric_problem,
)

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _parse(text: str) -> datetime:
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise forms.ValidationError(
        "Give a date and a time, for example 2027-03-12 17:00.", code="invalid"
    )


class ZonedDateTimeField(forms.DateTimeField):
    """A date and time typed in ``zone`` (a ``datetime-local`` input), cleaned to an
    aware datetime. A time that does not exist there (clocks going forward) is refused."""

    def __init__(self, *, zone: str = "UTC", **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMATS[0]),
        )
        super().__init__(**kwargs)
        self.zone = zone

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value, ZoneInfo(self.zone)).replace(tzinfo=None)
        return value

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            naive = value.replace(tzinfo=None) if timezone.is_aware(value) else value
        else:
            naive = _parse(str(value).strip())
        tz = ZoneInfo(self.zone)
        aware = naive.replace(tzinfo=tz)
        try:
            round_trip = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        except OverflowError:  # year 1 or 9999 in a zone away from UTC
            raise forms.ValidationError(
                "Pick a date in the coming weeks.", code="invalid"
            ) from None
        if round_trip != naive:
            raise forms.ValidationError(
                f"{naive:%H:%M} does not exist on {naive:%-d %B} in {self.zone}: the clocks go "
                "forward then. Pick another time.",
                code="invalid",
            )
        return aware


# Templates and their rubric ----------------------------------------------------------------


class TemplateForm(forms.Form):
    """A template's text and terms (its rubric is RubricFormSet)."""

    title = forms.CharField(
        max_length=120, help_text="Only your team sees it, e.g. “Payments API”."
    )
    instructions = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What to build or answer, what is given, and what a finished piece looks like.",
    )
    time_box_hours = forms.IntegerField(
        label="Time box (hours)",
        min_value=1,
        max_value=40,
        help_text="How long the work should take, from 1 to 40 hours. The engineer sees it first.",
    )
    deadline_days = forms.IntegerField(
        label="Days to submit",
        min_value=1,
        max_value=30,
        help_text="From sending to the deadline, 1 to 30 days (you can change it when sending).",
    )
    paid = forms.BooleanField(label="This assessment is paid", required=False)
    amount = forms.DecimalField(
        label="Amount paid",
        required=False,
        max_digits=10,
        decimal_places=2,
        help_text="Shown to the engineer before they start.",
    )
    currency = forms.ChoiceField(choices=Currency.choices, initial=Currency.USD)
    submit_kind = forms.ChoiceField(
        label="How the engineer hands it in",
        choices=AssessmentTemplate.SubmitKind.choices,
        widget=forms.RadioSelect,
        initial=AssessmentTemplate.SubmitKind.REPOSITORY,
    )
    submit_note = forms.CharField(
        label="Note on handing in",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: a private repository shared with hiring@yourcompany.com.",
    )

    @classmethod
    def initial_for(cls, template: AssessmentTemplate) -> dict[str, Any]:
        return {
            name: getattr(template, name) for name in cls.base_fields if hasattr(template, name)
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount = data.get("amount")
        if data.get("paid"):
            if amount is None:
                self.add_error("amount", "Say how much the assessment pays.")
            elif amount <= 0:
                self.add_error("amount", "Give an amount above zero.")
        elif amount is not None:
            self.add_error(
                "paid",
                "You gave an amount but left “This assessment is paid” unticked. Tick it, or "
                "clear the amount.",
            )
        return data


class CriterionForm(forms.Form):
    """One line of the rubric: its name, weight and what each level looks like."""

    name = forms.CharField(label="What is judged", max_length=80)
    weight = forms.IntegerField(label="Weight (%)", min_value=1, max_value=100)
    level_1 = forms.CharField(label="1 looks like", max_length=300)
    level_2 = forms.CharField(label="2 looks like", max_length=300)
    level_3 = forms.CharField(label="3 looks like", max_length=300)
    level_4 = forms.CharField(label="4 looks like", max_length=300)


def _removed(form: forms.Form) -> bool:
    """The criterion's "Remove" box is ticked (its other fields no longer matter)."""
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


class BaseRubricFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The rubric: at least one criterion, weights adding up to exactly 100."""

    def clean(self) -> None:
        if any(form.errors for form in self.forms if not _removed(form)):
            return
        problem = rubric_problem([int(c["weight"]) for c in self.criteria])
        if problem:
            raise forms.ValidationError(problem)

    @property
    def criteria(self) -> list[dict[str, Any]]:
        """The criteria kept (filled in and not removed), in order."""
        return [
            form.cleaned_data for form in self.forms if form.cleaned_data and not _removed(form)
        ]


RUBRIC_MAX = 12


def rubric_formset(
    data: Any = None, initial: list[dict[str, Any]] | None = None
) -> BaseRubricFormSet:
    """The rubric's rows: the criteria so far and blank rows to add more (at least five
    rows in all; a blank row is ignored)."""
    rows = len(initial or [])
    factory = forms.formset_factory(
        CriterionForm,
        formset=BaseRubricFormSet,
        extra=min(max(2, 5 - rows), RUBRIC_MAX - rows),
        can_delete=True,
        max_num=RUBRIC_MAX,
        absolute_max=RUBRIC_MAX,
        validate_max=True,
    )
    formset = factory(data, initial=initial, prefix="criteria")
    assert isinstance(formset, BaseRubricFormSet)
    return formset


# Sending ------------------------------------------------------------------------------------


class GraderChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def __init__(self, *args: Any, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def label_from_instance(self, obj: User) -> str:
        you = " (you)" if self.viewer is not None and obj.pk == self.viewer.pk else ""
        return f"{obj.display_name}{you}"


def _graders_field(teammates: Any, viewer: Any, *, required: bool = True) -> GraderChoiceField:
    return GraderChoiceField(
        label="Graders",
        queryset=teammates,
        viewer=viewer,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Pick at least one grader from your team.",
            "invalid_choice": "Graders must be members of your team.",
            "invalid_pk_value": "Graders must be members of your team.",
        },
    )


class SendForm(forms.Form):
    """Which template, by when (in the company's zone), who grades, and whether blind to
    the engineer's name."""

    template = forms.ModelChoiceField(
        queryset=AssessmentTemplate.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Pick one of your team's templates."},
    )
    deadline = ZonedDateTimeField()
    anonymous = forms.BooleanField(
        label="Grade anonymously",
        required=False,
        help_text="Graders see the work without the engineer's name or profile until they "
        "have submitted their grade.",
    )

    def __init__(
        self, *args: Any, templates: Any, teammates: Any, zone: str, viewer: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        template_field = self.fields["template"]
        assert isinstance(template_field, forms.ModelChoiceField)
        template_field.queryset = templates
        deadline = self.fields["deadline"]
        assert isinstance(deadline, ZonedDateTimeField)
        deadline.zone = zone
        deadline.help_text = f"In your company's time ({zone}). The engineer sees it in theirs."
        self.fields["graders"] = _graders_field(teammates, viewer)
        self.order_fields(["template", "deadline", "graders", "anonymous"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        template, deadline = data.get("template"), data.get("deadline")
        if template is not None and deadline is not None:
            problem = deadline_problem(deadline, template.time_box_hours, timezone.now())
            if problem:
                self.add_error("deadline", problem)
        return data


class GradersForm(forms.Form):
    """The graders as they should be (teammates who graded always stay)."""

    def __init__(self, *args: Any, teammates: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["graders"] = _graders_field(teammates, viewer, required=False)


class ExtensionAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("grant", "Grant"), ("refuse", "Refuse")],
        error_messages={
            "required": "Grant or refuse the request.",
            "invalid_choice": "Grant or refuse the request.",
        },
    )
    note = forms.CharField(
        label="A note to the engineer",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label="Why you are withdrawing it",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The engineer reads this in the email that tells them.",
        error_messages={"required": "Write a short note for the engineer: they are told why."},
    )


# Grading --------------------------------------------------------------------------------------


class GradeForm(forms.Form):
    """A score of 1 to 4 (no middle) and an evidence note per criterion of the rubric,
    and an overall recommendation."""

    recommendation = forms.TypedChoiceField(
        label="Your overall recommendation",
        choices=Recommendation.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Give your overall recommendation."},
    )

    def __init__(self, *args: Any, rubric: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for criterion in rubric:
            key, name = criterion["key"], criterion["name"]
            self.fields[f"score_{key}"] = forms.TypedChoiceField(
                label=f"{name} ({criterion['weight']}%)",
                choices=[
                    (value, f"{label}: {text}")
                    for (value, label), text in zip(Score.choices, criterion["levels"], strict=True)
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Score “{name}” from 1 to 4.",
                    "invalid_choice": f"Score “{name}” from 1 to 4: there is no middle and "
                    "nothing outside it.",
                },
            )
            self.fields[f"evidence_{key}"] = forms.CharField(
                label=f"Evidence for “{name}”",
                max_length=EVIDENCE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="What in the work shows this score: a file, a test, a decision.",
                error_messages={"required": f"Write the evidence behind your score for “{name}”."},
            )
        self.order_fields([name for name in self.fields if name != "recommendation"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_bound:
            known = set(self.fields)
            posted = {k for k in self.data if k.startswith(("score_", "evidence_"))}
            if posted - known:
                raise forms.ValidationError(
                    "Those scores are for criteria this rubric does not have. Nothing was saved."
                )
        return data

    @property
    def rows(self) -> list[tuple[dict[str, Any], forms.BoundField, forms.BoundField]]:
        """(criterion, its score field, its evidence field), in the rubric's order."""
        return [(c, self[f"score_{c['key']}"], self[f"evidence_{c['key']}"]) for c in self.rubric]

    @property
    def scores(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            c["key"]: {"score": data[f"score_{c['key']}"], "evidence": data[f"evidence_{c['key']}"]}
            for c in self.rubric
        }


# The engineer's side ----------------------------------------------------------------------------


class SubmitForm(forms.Form):
    url = WebURLField(
        label="Link to your work",
        max_length=500,
        assume_scheme="https",
        help_text="A repository or a document the company can open, starting with https://.",
    )
    note = forms.CharField(
        label="A note for the company",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything they should know: how to run it, what you would do with more time.",
    )


class ExtensionForm(forms.Form):
    """The engineer's one request for more time: a new deadline and why."""

    until = ZonedDateTimeField(label="New deadline you ask for")
    note = forms.CharField(
        label="Why you need more time",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you need more time: the company reads it first."},
    )

    def __init__(self, *args: Any, zone: str, deadline: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        until = self.fields["until"]
        assert isinstance(until, ZonedDateTimeField)
        until.zone = zone
        until.help_text = f"In your time ({zone}); at most 14 days after the current deadline."
        self.deadline = deadline

    def clean_until(self) -> datetime:
        until: datetime = self.cleaned_data["until"]
        problem = extension_problem(self.deadline, until)
        if problem:
            raise forms.ValidationError(problem)
        return until
