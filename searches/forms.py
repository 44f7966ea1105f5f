"""Validation of what employers type into a brief. Forms validate; services save."""

from __future__ import annotations

import difflib
import re
from typing import Any

from django import forms
from django.utils import timezone

from candidates.forms import DateInput
from candidates.models import Skill
from searches.models import Brief, BriefSkill, ShortlistEntry

MAX_MUST_YEARS = 30


class SkillMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Skill) -> str:  # type: ignore[override]
        return obj.name


def _grouped(skills: list[Skill]) -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for skill in sorted(skills, key=lambda s: (s.category, s.name)):
        groups.setdefault(skill.get_category_display(), []).append((skill.pk, skill.name))
    return list(groups.items())


def parse_must(text: str, skills: list[Skill]) -> list[tuple[Skill, int | None]]:
    """ "Python:3, Django" → [(Python, 3), (Django, None)]; ValueError with a message to show."""
    by_name: dict[str, Skill] = {}
    for skill in skills:
        by_name[skill.name.lower()] = skill
        for alias in skill.aliases:
            by_name.setdefault(alias.lower(), skill)
    parsed: list[tuple[Skill, int | None]] = []
    problems: list[str] = []
    seen: set[int] = set()
    for raw in re.split(r"[,\n;]+", text):
        item = raw.strip()
        if not item:
            continue
        name, _, years_text = item.partition(":")
        name, years_text = name.strip(), years_text.strip()
        found = by_name.get(name.lower())
        if found is None:
            problems.append(_unknown_skill(name, by_name))
            continue
        skill = found
        years: int | None = None
        if years_text:
            if not years_text.isdigit() or not 1 <= int(years_text) <= MAX_MUST_YEARS:
                problems.append(
                    f"Years for {skill.name} must be a whole number from 1 to {MAX_MUST_YEARS}."
                )
                continue
            years = int(years_text)
        if skill.pk in seen:
            problems.append(f"{skill.name} is listed twice.")
            continue
        seen.add(skill.pk)
        parsed.append((skill, years))
    if problems:
        raise forms.ValidationError(problems)
    return parsed


def _unknown_skill(name: str, by_name: dict[str, Skill]) -> str:
    """The message for a name that is no skill, suggesting the nearest names and aliases."""
    close = difflib.get_close_matches(name.lower(), list(by_name), n=5, cutoff=0.7)
    suggestions = list(dict.fromkeys(by_name[key].name for key in close))[:3]
    if not suggestions:
        return f'"{name}" is not a skill we know. Check the spelling, or pick one from the list.'
    if len(suggestions) == 1:
        options = suggestions[0]
    else:
        options = ", ".join(suggestions[:-1]) + " or " + suggestions[-1]
    return f'"{name}" is not a skill we know. Did you mean {options}?'


def skill_picker_data(skills: list[Skill]) -> list[dict[str, Any]]:
    """The taxonomy as the skill picker (static/js/skill-picker.js) reads it."""
    return [
        {"name": s.name, "aliases": list(s.aliases), "group": s.get_category_display()}
        for s in sorted(skills, key=lambda s: s.name.lower())
    ]


def must_as_text(entries: list[tuple[str, int | None]]) -> str:
    return ", ".join(f"{name}:{years}" if years else name for name, years in entries)


class BriefForm(forms.ModelForm):
    """A brief's fields, its must-have skills as text and its nice-to-haves as checkboxes.

    After ``is_valid()``, ``cleaned_data["must"]`` is a list of (Skill, min years or None)
    and ``cleaned_data["nice"]`` a list of skills.
    """

    must = forms.CharField(
        label="Must-have skills",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Separate skills with commas. Add a colon and a number for a minimum number of "
            "years, e.g. <kbd>Python:3, Django, PostgreSQL:2</kbd>. Only engineers with every "
            "one of them match."
        ),
    )
    nice = SkillMultipleChoiceField(
        label="Nice-to-have skills",
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Engineers with these rank higher; they are not required.",
    )

    class Meta:
        model = Brief
        fields = list(Brief.EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "start_date": DateInput,
        }
        labels = {"hours_per_week": "Hours a week"}
        help_texts = {
            "title": "A short name your team will recognise, e.g. 'Payments API, 3 months'.",
            "description": "What the engineer will build, with whom, and for how long.",
            "min_hourly_usd": (
                "What you expect to pay at least. Engineers who ask less still appear in "
                "your results."
            ),
            "max_hourly_usd": (
                "Engineers who ask more are left out. Fill in the hourly or the monthly "
                "budget, or both; leave them empty for any rate."
            ),
            "min_monthly_pkr": "Engineers who ask less still appear in your results.",
            "min_overlap_hours": (
                "Hours a day the engineer's working day must share with your company's, "
                "from 0 to 12. Daylight saving is taken into account."
            ),
            "start_date": "Engineers must be free to start by this date.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skills = list(Skill.objects.all())
        self.fields["nice"].choices = _grouped(self.skills)  # type: ignore[attr-defined]
        for name, low, high in [
            ("min_years", "0", "40"),
            ("hours_per_week", "1", "80"),
            ("min_overlap_hours", "0", "12"),
        ]:
            self.fields[name].widget.attrs.update({"min": low, "max": high})
        for name in ("min_hourly_usd", "max_hourly_usd", "min_monthly_pkr", "max_monthly_pkr"):
            self.fields[name].widget.attrs.update({"min": "1"})
        if self.instance.pk and not self.is_bound:
            current = list(self.instance.skills.select_related("skill").order_by("skill__name"))
            self.initial["must"] = must_as_text(
                [(s.skill.name, s.min_years) for s in current if s.kind == BriefSkill.Kind.MUST]
            )
            self.initial["nice"] = [s.skill_id for s in current if s.kind == BriefSkill.Kind.NICE]

    @property
    def skill_picker_data(self) -> list[dict[str, Any]]:
        return skill_picker_data(self.skills)

    def clean_must(self) -> list[tuple[Skill, int | None]]:
        return parse_must(self.cleaned_data.get("must", ""), self.skills)

    def clean_start_date(self) -> Any:
        start = self.cleaned_data.get("start_date")
        # An existing brief keeps its start date even once that day has passed.
        unchanged = self.instance.pk and start == self.instance.start_date
        if start is not None and start < timezone.localdate() and not unchanged:
            raise forms.ValidationError("The start date cannot be in the past.")
        return start

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        must = cleaned.get("must") or []
        nice = cleaned.get("nice") or []
        both = sorted({skill.name for skill, _ in must} & {skill.name for skill in nice})
        if both:
            self.add_error(
                "nice",
                f"{', '.join(both)} {'is' if len(both) == 1 else 'are'} already a must-have; "
                "a skill cannot be both.",
            )
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Private note",
        required=False,
        max_length=ShortlistEntry._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only your team sees it.",
    )
