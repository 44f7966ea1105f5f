"""Forms of milestones and payments: the engineer's submission, the company's request for
changes, and the reference note a company may add when it marks a payment paid.

Several of these forms sit on one page (one per milestone or payment): each is made
with ``auto_id`` naming its row (``form_id(...)``) so that every label still points at
its own field, while the posted names stay plain (``note``, ``link``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms

from accounts.links import WebURLField
from hiring.contracts.common import NOTE_MAX

PAID_NOTE_MAX = 300
HTTPS_ONLY = "The link must start with https:// (a secure address), e.g. https://github.com/…"


def form_id(kind: str, ref: str | int) -> str:
    """The ``auto_id`` of one row's form: ``id_submit_k3x9_note`` and so on."""
    return f"id_{kind}_{ref}_%s"


class SubmitForm(forms.Form):
    """The engineer marks a milestone submitted: what was done, and where to see it."""

    note = forms.CharField(
        label="What you are handing over",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What is done and how it meets the acceptance criteria.",
        error_messages={
            "required": "Write a note saying what you are handing over.",
            "max_length": f"Keep the note under {NOTE_MAX:,} characters.",
        },
    )
    link = WebURLField(
        label="Link to the work",
        required=False,
        max_length=500,
        help_text="A pull request, a build or a document, starting with https://.",
    )

    def clean_note(self) -> str:
        note = str(self.cleaned_data["note"]).strip()
        if not note:
            raise forms.ValidationError("Write a note saying what you are handing over.")
        return note

    def clean_link(self) -> str:
        link = str(self.cleaned_data.get("link") or "").strip()
        if link and urlsplit(link).scheme != "https":
            raise forms.ValidationError(HTTPS_ONLY)
        return link


class ChangesForm(forms.Form):
    """The company asks for changes to a submitted milestone: what is missing."""

    note = forms.CharField(
        label="What needs to change",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say which acceptance criteria are not met yet, so the engineer can fix it.",
        error_messages={
            "required": "Write what needs to change before asking for changes.",
            "max_length": f"Keep the note under {NOTE_MAX:,} characters.",
        },
    )

    def clean_note(self) -> str:
        note = str(self.cleaned_data["note"]).strip()
        if not note:
            raise forms.ValidationError("Write what needs to change before asking for changes.")
        return note


class PaidForm(forms.Form):
    """The company marks a payment paid, with an optional reference (a transfer id)."""

    note = forms.CharField(
        label="Reference",
        required=False,
        max_length=PAID_NOTE_MAX,
        widget=forms.TextInput(attrs={"size": 10, "placeholder": "Reference"}),
        error_messages={"max_length": f"Keep the reference under {PAID_NOTE_MAX} characters."},
    )

    def clean_note(self) -> str:
        return str(self.cleaned_data.get("note") or "").strip()


def bound(form_class: type[forms.Form], data: Any, kind: str, ref: str | int) -> Any:
    """One row's form, bound to ``data`` (None: unbound)."""
    return form_class(data, auto_id=form_id(kind, ref))
