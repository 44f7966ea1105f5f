"""Validation of what employers and engineers type into outreach and threads."""

from __future__ import annotations

from django import forms

from hiring.models import Message

# Outreach, templates and answers (outreach UI) -------------------------------------


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
