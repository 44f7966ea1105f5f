"""An interviewer's scorecard: a score (1–4, or not assessed) and evidence per focus
attribute of the interview, and an overall recommendation. Forms validate; services save.

The fields are named after the interview's focus attributes: ``score-<focus>`` and
``evidence-<focus>``. A posted ``score-`` or ``evidence-`` field for an attribute the
interview does not rate is refused, not ignored.
"""

from __future__ import annotations

from typing import Any

from django import forms

from screening.models import Focus, Recommendation, Score

#: The radio answer for an attribute the interviewer could not judge.
NOT_ASSESSED = "none"
SCORE_CHOICES = [(str(s.value), s.label) for s in Score] + [(NOT_ASSESSED, "Did not assess")]
EVIDENCE_MAX = 2000
_PREFIXES = ("score-", "evidence-")


class Radios(forms.RadioSelect):
    """Radio buttons whose field links (the error summary's) point at the first option."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class ScorecardForm(forms.Form):
    recommendation = forms.TypedChoiceField(
        label="Your overall recommendation",
        choices=Recommendation.choices,
        coerce=int,
        widget=Radios,
        error_messages={
            "required": "Choose your recommendation: strong no, no, yes or strong yes.",
            "invalid_choice": "A recommendation is strong no, no, yes or strong yes.",
        },
    )

    def __init__(self, data: Any = None, *, focus: list[str], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.focus = [f for f in focus if f in Focus.values]
        recommendation = self.fields.pop("recommendation")
        for name in self.focus:
            label = Focus(name).label
            self.fields[f"score-{name}"] = forms.ChoiceField(
                label=f"Score for {label}",
                choices=SCORE_CHOICES,
                widget=Radios,
                error_messages={
                    "required": f"Pick a score for {label}, or “Did not assess”.",
                    "invalid_choice": f"A score for {label} is 1, 2, 3 or 4, or “Did not assess”.",
                },
            )
            self.fields[f"evidence-{name}"] = forms.CharField(
                label=f"Evidence for {label}",
                required=False,
                max_length=EVIDENCE_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What the engineer said or did that supports your score.",
            )
        self.fields["recommendation"] = recommendation
        posted = data.keys() if data is not None else []
        self.unknown = sorted(
            {
                key.split("-", 1)[1]
                for key in posted
                if key.startswith(_PREFIXES) and key.split("-", 1)[1] not in self.focus
            }
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.unknown:
            rated = ", ".join(Focus(f).label for f in self.focus)
            raise forms.ValidationError(
                f"This interview rates only {rated}; the form named something else. "
                "Reload the page and try again. Nothing was saved."
            )
        scored = 0
        for name in self.focus:
            score = cleaned.get(f"score-{name}")
            if score is None or score == NOT_ASSESSED:
                continue
            scored += 1
            if not cleaned.get(f"evidence-{name}", "").strip():
                self.add_error(
                    f"evidence-{name}",
                    "Write the evidence for this score: what the engineer said or did.",
                )
        picked_all = not any(f"score-{name}" in self.errors for name in self.focus)
        if picked_all and not scored:
            raise forms.ValidationError(
                "Score at least one attribute: a scorecard that assesses nothing tells the "
                "team nothing."
            )
        return cleaned

    @property
    def ratings(self) -> dict[str, dict[str, Any]]:
        """``{focus: {"score", "evidence"}}`` for the attributes scored (after is_valid)."""
        ratings = {}
        for name in self.focus:
            score = self.cleaned_data.get(f"score-{name}")
            if score and score != NOT_ASSESSED:
                evidence = self.cleaned_data.get(f"evidence-{name}", "").strip()
                ratings[name] = {"score": int(score), "evidence": evidence}
        return ratings

    def sections(self) -> list[dict[str, Any]]:
        """Per focus attribute: its label and its two bound fields (for the template)."""
        return [
            {
                "focus": name,
                "label": Focus(name).label,
                "score": self[f"score-{name}"],
                "evidence": self[f"evidence-{name}"],
            }
            for name in self.focus
        ]
