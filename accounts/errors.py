"""Why a service refused to act: one exception family every app's services raise.

A view catches ``Refused`` and shows its message with its status (see
``accounts.web.reply_refused``); nothing was saved when it is raised.
"""

from __future__ import annotations


class Refused(Exception):
    """The request cannot be done as asked (400 unless a subclass says otherwise)."""

    status = 400


class Conflict(Refused):
    """The thing changed since the page was shown (answered, expired, moved): 409."""

    status = 409


class NotAllowed(Refused):
    """The requester may see this but may not do that to it: 403."""

    status = 403
