"""The small helpers every part of a contract shares (contracts, changes, milestones,
check-ins, reviews, dashboards): one way to read its zones and days, to clean a note,
to lock its row, to post a line in its thread and to know who hears of it.

The contract's dates are the engineer's, in the zone the version in force states
(``ContractVersion.time_zone``): both sides agreed to it, and the check-ins fall due in
it. A viewer reads times in their own zone.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from accounts.errors import Refused
from accounts.models import User
from accounts.selectors import team_recipients
from hiring.models import Contract, Side
from hiring.services import _event, thread_for
from screening.selectors.interviews import viewer_zone as member_zone
from screening.selectors.interviews import zone_label

__all__ = [
    "NOTE_MAX",
    "contract_line",
    "contract_lock",
    "contract_url",
    "day_text",
    "engineer_today",
    "engineer_zone",
    "other_side",
    "side_emails",
    "text_clean",
    "viewer_zone",
    "zone_label",
]

#: The longest note either side writes (a reason, an answer, a handover note).
NOTE_MAX = 2000


def contract_url(contract: Contract, anchor: str = "") -> str:
    """The contract page, at one part's panel when ``anchor`` names it."""
    url = reverse("hiring:contract_detail", args=[contract.pk])
    return f"{url}#{anchor}" if anchor else url


# Zones and days ------------------------------------------------------------------------


def viewer_zone(contract: Contract, side: str, user: User) -> str:
    """The zone a viewer reads times in: the engineer's own; a teammate's own, else the
    company's."""
    if side == Side.ENGINEER:
        return contract.profile.time_zone
    # Every panel of the contract page asks: read the teammate's zone once per request.
    known: tuple[int, str] | None = getattr(contract, "_viewer_zone", None)
    if known is None or known[0] != user.pk:
        known = (user.pk, member_zone(user, contract.company))
        contract._viewer_zone = known  # type: ignore[attr-defined]
    return known[1]


def engineer_zone(contract: Contract) -> str:
    """The zone the contract's dates are read in: the engineer's, as the version in force
    states it (its check-ins and overlap are in the same zone); the profile's before
    there is one."""
    version = contract.current
    return version.time_zone if version is not None else contract.profile.time_zone


def engineer_today(contract: Contract, now: datetime | None = None) -> date:
    """The date in the engineer's zone at ``now``: due dates and "overdue" are theirs."""
    return timezone.localtime(now or timezone.now(), ZoneInfo(engineer_zone(contract))).date()


def day_text(day: date) -> str:
    """ "Monday 15 June 2026"."""
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def other_side(side: str) -> str:
    return Side.ENGINEER if side == Side.COMPANY else Side.COMPANY


# What people write ---------------------------------------------------------------------


def text_clean(value: str, *, what: str, required: bool, limit: int = NOTE_MAX) -> str:
    """``value`` trimmed, or Refused when it is required and empty, or too long. The
    forms check the same first; this guards every other caller."""
    text = (value or "").strip()
    if required and not text:
        raise Refused(f"Write {what}. Nothing was saved.")
    if len(text) > limit:
        raise Refused(f"Keep {what} under {limit:,} characters. Nothing was saved.")
    return text


# Writes ----------------------------------------------------------------------------------


def contract_lock(contract: Contract) -> Contract:
    """The contract's row, locked for this transaction, with what emails and lines need."""
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("company", "profile__user", "brief", "current", "thread")
        .get(pk=contract.pk)
    )


def contract_line(contract: Contract, text: str, *, engineer_sees_new: bool) -> None:
    """A system line in the company↔engineer thread of the contract (made on first use
    if the contract has none)."""
    thread = contract.thread or thread_for(company=contract.company, profile=contract.profile)
    _event(thread, text, outreach=None, engineer_sees_new=engineer_sees_new)


# Who is told -----------------------------------------------------------------------------


def side_emails(contract: Contract, side: str, teammate: User | None = None) -> list[str]:
    """Everyone one side's emails go to: the engineer; on the company's side, the teammate
    concerned (by default who drafted the contract), or the owners once they have left."""
    if side == Side.ENGINEER:
        return [contract.profile.user.email]
    return team_recipients(contract.company, teammate or contract.created_by)
