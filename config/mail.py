"""Development mail: each message printed as a person would read it.

Django's console backend prints the raw MIME message, where quoted-printable
encoding breaks long lines with ``=`` at the end, so a link copied from the
terminal is cut in the middle of its token. This backend prints the sender,
recipients, subject and the plain-text body as written, every link whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend


class ConsoleEmailBackend(EmailBackend):
    """``EMAIL_URL=console://`` (the default with DEBUG): readable mail on stdout."""

    def write_message(self, message: EmailMessage) -> None:
        lines = [
            "=" * 79,
            f"From:    {message.from_email}",
            f"To:      {', '.join(message.to)}",
        ]
        if message.cc:
            lines.append(f"Cc:      {', '.join(message.cc)}")
        lines.append(f"Subject: {message.subject}")
        lines += ["", str(message.body).rstrip(), ""]
        extras = _alternatives(message) + [
            f"attachment: {getattr(item, 'filename', None) or 'unnamed'}"
            for item in message.attachments
        ]
        if extras:
            lines.append("(also in this message: " + "; ".join(extras) + ")")
        lines.append("=" * 79)
        self.stream.write("\n".join(lines) + "\n")


def _alternatives(message: EmailMessage) -> list[str]:
    found: Sequence[Any] = getattr(message, "alternatives", [])
    return [f"{getattr(item, 'mimetype', 'another')} version" for item in found]
